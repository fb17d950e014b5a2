//! An organ's document template: checked, then filled and laid out
//! (`hearing_store::fuzz_checks::template`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| hearing_store::fuzz_checks::template(data));
