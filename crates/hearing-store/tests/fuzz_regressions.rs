//! Replays the committed fuzz corpus of document templates (`fuzz/regressions/template/`: the
//! built-ins, inputs fuzzing found and hand-written edge cases) through the check the
//! `template` fuzz target runs.

use hearing_core::fuzz_checks::replay;
use hearing_store::fuzz_checks::template;

#[test]
fn every_template_regression_input_holds() {
    replay("template", template);
}
