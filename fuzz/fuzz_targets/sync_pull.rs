//! A pulled page as a desk decodes and validates it (`hearing_sync::fuzz_checks::pull_page`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hearing_sync::fuzz_checks::pull_page(data));
