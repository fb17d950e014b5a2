//! Replays the committed fuzz corpora of what crosses the wire or comes from a file
//! (`fuzz/regressions/{sync_push,sync_pull,org_import}/`) through the checks their fuzz targets
//! run. The org file's parser is the server's (`hearing_server::admin::parse_org_file`).

use hearing_core::fuzz_checks::replay;
use hearing_sync::fuzz_checks::{org_file, pull_page, push_page};

#[test]
fn every_pushed_page_regression_input_holds() {
    replay("sync_push", push_page);
}

#[test]
fn every_pulled_page_regression_input_holds() {
    replay("sync_pull", pull_page);
}

#[test]
fn every_org_file_regression_input_holds() {
    replay("org_import", |data| {
        org_file(data, hearing_server::admin::parse_org_file)
    });
}
