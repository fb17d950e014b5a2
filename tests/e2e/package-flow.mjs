// GUI check of an installed package: the hearing-desk binary that `apt-get install ./….deb` put in
// /usr/bin (HEARINGDESK_BIN), under Xvfb with a fresh data directory. Run by
// tests/package/install-test.sh (`make test`, `make package-test`).
//
// Flow: first run → demo data → the 工作台 with its case counts and the 预警 card.

import assert from 'node:assert/strict';
import { runApp } from './harness.mjs';

const port = Number(process.env.TAURI_DRIVER_PORT || 4460);

await runApp('package', port, async ({ s, log, shot }) => {
  await s.waitCss('body[data-ready="1"]', 60000);
  log(`installed app is up: ${process.env.HEARINGDESK_BIN}`);
  await s.click('[data-test="first-run-demo"]');
  await s.waitCss('[data-test="nav-cases"]', 30000);
  const all = await s.waitFor('the case count on the 工作台', async () => {
    const t = (await s.text('[data-test="stat-all-cases"] .stat-value')).trim();
    return /^\d+$/.test(t) && Number(t) > 0 ? Number(t) : null;
  });
  const heading = await s.text('h1, .page-title');
  assert.match(heading, /工作台/, `the 工作台 heading: ${heading}`);
  log(`工作台 shows ${all} cases`);
  shot('package-workbench.png');
});
