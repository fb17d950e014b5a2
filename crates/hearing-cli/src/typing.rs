//! `hearingctl type-testimony` (hidden from the help): records testimony entries one after
//! another and acknowledges each on stdout only once its transaction has committed — the
//! writer `tests/crash.rs` SIGKILLs at random moments to show that nothing acknowledged is lost
//! or doubled. Not a user command.

use std::io::Write;

use anyhow::Result;
use hearing_core::hearing::ParticipantRole;
use hearing_core::testimony::TestimonyInput;
use hearing_store::Store;

/// Adds entry `n` (text `{tag}-{n}`) for n = 1, 2, … up to `count` (default: until killed),
/// printing `ACK n entry-id` and flushing after each save returned.
pub fn type_testimony(
    store: &mut Store,
    hearing: &str,
    step: &str,
    tag: &str,
    count: Option<u64>,
) -> Result<()> {
    let mut out = std::io::stdout().lock();
    for n in (1u64..).take_while(|n| count.is_none_or(|c| *n <= c)) {
        let entry = store.add_testimony(
            hearing.trim(),
            &TestimonyInput {
                step_key: step.to_owned(),
                speaker_role: ParticipantRole::Petitioner,
                speaker_name: "测试人甲".into(),
                text: format!("{tag}-{n}"),
            },
        )?;
        writeln!(out, "ACK {n} {}", entry.id)?;
        out.flush()?;
    }
    Ok(())
}
