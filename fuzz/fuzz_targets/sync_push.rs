//! A pushed page as the server decodes and validates it (`hearing_sync::fuzz_checks::push_page`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hearing_sync::fuzz_checks::push_page(data));
