//! Replays the committed fuzz corpus of the validators (`fuzz/regressions/validators/`: inputs
//! fuzzing found and hand-written edge cases) through the check the `validators` fuzz target
//! runs.

use hearing_core::fuzz_checks::{replay, validators};

#[test]
fn every_validators_regression_input_holds() {
    replay("validators", validators);
}
