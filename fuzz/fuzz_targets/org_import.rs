//! The server's org file (`hearing-server org import`), read by `admin::parse_org_file` and
//! checked against an independent reading (`hearing_sync::fuzz_checks::org_file`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    hearing_sync::fuzz_checks::org_file(data, hearing_server::admin::parse_org_file)
});
