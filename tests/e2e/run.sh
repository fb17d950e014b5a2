#!/usr/bin/env bash
# Runs the GUI end-to-end tests under a private Xvfb display.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
mkdir -p target/e2e
display=":${E2E_DISPLAY:-97}"
Xvfb "$display" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
for _ in $(seq 50); do xdpyinfo -display "$display" >/dev/null 2>&1 && break; sleep 0.1; done
export DISPLAY="$display"
# Each test starts its own tauri-driver with a fresh data directory; either failing fails the run.
status=0
node tests/e2e/main-flow.mjs || status=1
node tests/e2e/hearing-flow.mjs || status=1
node tests/e2e/documents-flow.mjs || status=1
node tests/e2e/fonts-flow.mjs || status=1
node tests/e2e/sync-flow.mjs || status=1
node tests/e2e/approvals-flow.mjs || status=1
node tests/e2e/court-flow.mjs || status=1
node tests/e2e/committee-flow.mjs || status=1
node tests/e2e/accounts-flow.mjs || status=1
node tests/e2e/stats-flow.mjs || status=1
node tests/e2e/search-flow.mjs || status=1
exit $status
