//! The TypeScript bindings in ui/src/bindings.ts are generated from the Rust commands; this test
//! fails when they drift. `make bindings` (HEARINGDESK_WRITE_BINDINGS=1) rewrites them.

use std::path::Path;

#[test]
fn committed_bindings_match_the_rust_commands() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fresh = dir.path().join("bindings.ts");
    hearing_desk_lib::specta_builder()
        .export(hearing_desk_lib::typescript(), &fresh)
        .expect("export bindings");
    let generated = std::fs::read_to_string(&fresh).expect("read generated");
    let committed_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(hearing_desk_lib::BINDINGS_PATH);
    if std::env::var_os("HEARINGDESK_WRITE_BINDINGS").is_some() {
        std::fs::write(&committed_path, &generated).expect("write bindings");
        return;
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == generated,
        "ui/src/bindings.ts is out of date with the Rust commands: run `make bindings` and commit it"
    );
}
