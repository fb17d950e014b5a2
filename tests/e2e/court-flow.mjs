// GUI end-to-end test of closure approval seen from the court: the real hearing-desk binary under
// Xvfb as the court's desk (东河区法院) of the demo network, a real hearing-server on loopback, and
// the county committee's desk driven with `hearingctl`. Run by tests/e2e/run.sh.
//
// Flow: `hearing-server demo` → the court's desk is enrolled, loads its demo cases and syncs (with
// hearingctl, before the app starts on it) → in the app the court opens its case in 终结审批 and
// decides its own two levels (承办人, 负责人) in the 终结审批 card; the 政法委 level says it is
// decided elsewhere → the app pushes by itself → the committee's desk (hearingctl) finds the case
// in its 待审批 and decides → the court's app shows the committee's decision by itself, within
// seconds, with nobody pressing 立即同步 (the server's notice, GET /v1/wait).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runApp } from './harness.mjs';
import { ctl, serverWork } from './server.mjs';

const port = Number(process.env.TAURI_DRIVER_COURT_PORT || 4464);
const { work, admin, start } = serverWork('court');
const committee = join(work, 'committee');

const codes = Object.fromEntries(
  admin('demo')
    .split('\n')
    .map((l) => l.split('\t')),
);
const base = await start();
ctl(committee, 'enroll', '--server', base, '--code', codes.DHQ, '--name', '东河区委政法委');

let number = '';
await runApp(
  'court',
  port,
  async ({ s, log, shot }) => {
    await s.waitCss('body[data-ready="1"]', 60000);
    await s.click('[data-test="nav-cases"]');
    await s.waitFor('the case in the list', async () => (await s.texts('[data-test="case-row-number"]')).includes(number), 30000);
    await s.exec(
      '[...document.querySelectorAll(\'[data-test="case-row-number"]\')].find((e) => e.textContent.trim() === arguments[0]).click()',
      [number],
    );
    await s.waitCss('[data-test="case-approvals"]', 30000);
    assert.equal((await s.findAll('[data-test="case-read-only"]')).length, 0, 'the court’s own case');

    // The court decides its own two levels, one after the other.
    for (const [n, who] of [
      [1, '李承办'],
      [2, '孙院长'],
    ]) {
      await s.type('[data-test="approval-approver"] input', who);
      await s.type('[data-test="approval-opinion"] textarea', '同意依法终结。');
      await s.click('[data-test="approval-save"]');
      await s.waitFor(`decision ${n}`, async () => (await s.texts('[data-test="approval-chain-decision"]')).length === n);
    }
    const deciders = await s.texts('[data-test="approval-chain-decider"]');
    assert.equal(deciders[2], '中共青山市东河区委政法委员会', deciders.join('|'));
    log('the court decided its own levels; the 政法委 level waits for the committee');
    shot('court-submitted.png');

    // The committee, on its own desk, finds it in its 待审批 (the app pushed by itself) and decides.
    await s.waitFor(
      'the request at the committee',
      async () => {
        ctl(committee, 'sync');
        return ctl(committee, 'closure', 'inbox').includes(number);
      },
      60000,
    );
    ctl(committee, 'closure', 'approve', '--case', number, '--level', 'committee', '--approver', '赵书记', '--opinion', '同意终结');
    ctl(committee, 'sync');
    const pushedAt = Date.now();
    // Nobody presses 立即同步: the server tells the court's app, which pulls and reloads.
    await s.waitFor('the committee’s decision shown by itself', async () => (await s.texts('[data-test="approval-chain-decision"]')).length === 3, 20000);
    const took = (Date.now() - pushedAt) / 1000;
    assert.ok(took < 20, `${took} s`);
    assert.equal((await s.findAll('[data-test="approval-chain-proxy"]')).length, 0, 'the committee’s own record');
    log(`the committee's decision showed in the court's app ${took.toFixed(1)} s after its push, with no manual sync`);
    shot('court-decided.png');
  },
  {
    prepare: async (dataDir) => {
      ctl(dataDir, 'enroll', '--server', base, '--code', codes.DHQFY, '--name', '东河区法院');
      ctl(dataDir, 'demo');
      ctl(dataDir, 'sync');
      number =
        ctl(dataDir, 'cases', 'list', '--status', 'closureApproval')
          .split('\n')
          .find((l) => l.includes('\t'))
          ?.split('\t')[0]
          ?.trim() ?? '';
      assert.ok(number, 'a demo case in 终结审批');
      console.log(`[e2e court] the court's case in 终结审批: ${number}`);
    },
  },
);
