use rusqlite::params;

use super::apply::Apply;
use super::decide::{number_clash, stand_ins, zero_ver, NumberClash};
use super::seal::column_version;
use super::*;

/// Who settled a note that sync settled by itself (a case renumbered or held under a stand-in).
pub(super) const AUTO_SETTLED_BY: &str = "自动处理";

/// A note in the conflicts list, settled at once: what sync did by itself with a case number.
pub(super) fn number_note(
    tx: &Connection,
    change_id: &str,
    case_id: &str,
    synced: &str,
    here: &str,
    reason: &str,
    at: &str,
) -> Result<()> {
    exec(
        tx,
        "INSERT OR IGNORE INTO sync_conflicts
             (change_id, tbl, pk, col, theirs, ours, reason, at, settled_at, settled_by)
         VALUES (?1, 'cases', ?2, 'number', ?3, ?4, ?5, ?6, ?6, ?7)",
        params![
            change_id,
            case_id,
            Value::String(synced.to_owned()).to_string(),
            Value::String(here.to_owned()).to_string(),
            reason,
            at,
            AUTO_SETTLED_BY
        ],
    )?;
    Ok(())
}

/// A pulled case's number, if another case here has it, is resolved before it is written (the
/// number is unique): see [`place_number`]. A case that was waiting under a stand-in and now
/// gets a number of its own says so.
pub(super) fn settle_number(
    tx: &Connection,
    c: &Change,
    set: &mut [(String, SqlValue)],
    ctx: &mut Apply,
) -> Result<()> {
    let Some(slot) = set.iter_mut().find(|(k, _)| k == "number") else {
        return Ok(());
    };
    let SqlValue::Text(number) = slot.1.clone() else {
        return Ok(());
    };
    let held: Option<String> = qrow(
        tx,
        "SELECT number FROM sync_number_holds WHERE case_id = ?1",
        [&c.pk],
        |r| r.get(0),
    )
    .optional()?;
    exec(
        tx,
        "DELETE FROM sync_number_holds WHERE case_id = ?1",
        [&c.pk],
    )?;
    let stored = place_number(tx, c, &number, ctx)?;
    if stored != number {
        slot.1 = SqlValue::Text(stored);
    } else if let Some(old) = held.filter(|old| *old != number) {
        number_note(
            tx,
            &c.id,
            &c.pk,
            &old,
            &number,
            &format!("案号 {old} 已被另一台电脑使用，本案改为 {number}"),
            ctx.at,
        )?;
    }
    Ok(())
}

/// Where a pulled case `c` with `number` goes when another case here has that number. Of the
/// two, the case whose number was written later (by `(hlc, device, change id)`) gives way; the
/// desk that wrote its number renumbers it to the next free number of its org and year, a normal
/// change that reaches every desk. Any other desk keeps the giving-way case under a stand-in
/// number until that change arrives. Returns the number to store for `c`'s case.
pub(super) fn place_number(
    tx: &Connection,
    c: &Change,
    number: &str,
    ctx: &mut Apply,
) -> Result<String> {
    let holder: Option<String> = qrow(
        tx,
        "SELECT id FROM cases WHERE number = ?1 AND id <> ?2",
        [number, &c.pk],
        |r| r.get(0),
    )
    .optional()?;
    let Some(holder) = holder else {
        return Ok(number.to_owned());
    };
    let ours = column_version(tx, "cases", &holder, "number")?.unwrap_or_else(zero_ver);
    match number_clash(&ver_of(c), &ours, ctx.device) {
        NumberClash::TheirsHeld => {
            let stand_in = hold_number(tx, &c.pk, number)?;
            number_note(
                tx,
                &c.id,
                &c.pk,
                number,
                &stand_in,
                &held_reason(number, &stand_in),
                ctx.at,
            )?;
            return Ok(stand_in);
        }
        NumberClash::OursRenumbered => {
            renumber_own(tx, &holder, number, ctx)?;
        }
        NumberClash::OursHeld => {
            let stand_in = hold_number(tx, &holder, number)?;
            exec(
                tx,
                "UPDATE cases SET number = ?2 WHERE id = ?1",
                params![holder, stand_in],
            )?;
            number_note(
                tx,
                &c.id,
                &holder,
                number,
                &stand_in,
                &held_reason(number, &stand_in),
                ctx.at,
            )?;
        }
    }
    Ok(number.to_owned())
}

pub(super) fn held_reason(number: &str, stand_in: &str) -> String {
    format!(
        "案号 {number} 与本机另一案件重复：登记该案的电脑将为其改号，在此之前本机暂记为 {stand_in}"
    )
}

/// Picks a free stand-in for a case whose number is `number` elsewhere and records the hold.
pub(super) fn hold_number(tx: &Connection, case_id: &str, number: &str) -> Result<String> {
    let unique = uuid::Uuid::now_v7().to_string();
    let candidates = stand_ins(number, case_id, &unique);
    let mut stand_in = String::new();
    for candidate in candidates {
        let taken = qrow(
            tx,
            "SELECT 1 FROM cases WHERE number = ?1",
            [&candidate],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
        stand_in = candidate;
        if !taken {
            break;
        }
    }
    exec(
        tx,
        "INSERT INTO sync_number_holds (case_id, number, held) VALUES (?1, ?2, ?3)
         ON CONFLICT (case_id) DO UPDATE SET number = excluded.number, held = excluded.held",
        params![case_id, number, stand_in],
    )?;
    Ok(stand_in)
}

/// Renumbers a case whose number this desk wrote and another desk's case had first: the next
/// free number of its org and year, written as a local change (it syncs like any edit), in the
/// audit trail and the conflicts list (settled).
pub(super) fn renumber_own(
    tx: &Connection,
    case_id: &str,
    taken: &str,
    ctx: &mut Apply,
) -> Result<String> {
    let (org_id, registered_on): (String, String) = qrow(
        tx,
        "SELECT org_id, registered_on FROM cases WHERE id = ?1",
        [case_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let code: String = qrow(tx, "SELECT code FROM orgs WHERE id = ?1", [&org_id], |r| {
        r.get(0)
    })
    .optional()?
    .unwrap_or_else(|| org_id.clone());
    let year = registered_on.get(..4).unwrap_or("0000");
    let new = crate::numbering::next_free_case_number(tx, &code, year, &ctx.numbers)?;
    ctx.hlc = ctx.hlc.tick(ctx.clock.wall_ms());
    let now = ctx.at;
    exec(
        tx,
        "UPDATE sync_state SET hlc = ?1, applying = 0",
        [ctx.hlc.to_string()],
    )?;
    let written = exec(
        tx,
        "UPDATE cases SET number = ?2, updated_at = ?3 WHERE id = ?1",
        params![case_id, new, now],
    );
    exec(tx, "UPDATE sync_state SET applying = 1", [])?;
    written?;
    let change_id: String = qrow(
        tx,
        "SELECT id FROM change_log WHERE local = 1 ORDER BY seq DESC LIMIT 1",
        [],
        |r| r.get(0),
    )?;
    let summary = format!("案号 {taken} 已被另一台电脑使用，本案改为 {new}");
    crate::audit::append(
        tx,
        &crate::audit::NewEvent {
            at: now,
            actor: ctx.actor,
            device_id: ctx.device,
            action: "同步改号",
            entity: "case",
            entity_id: case_id,
            summary: &summary,
            change_ids: std::slice::from_ref(&change_id),
            case_id: Some(case_id),
        },
    )?;
    number_note(tx, &change_id, case_id, taken, &new, &summary, ctx.at)?;
    Ok(new)
}
