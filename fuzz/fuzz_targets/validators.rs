//! Resident ID numbers, phones, credit codes, dates, masks and free text
//! (`hearing_core::fuzz_checks::validators`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hearing_core::fuzz_checks::validators(data));
