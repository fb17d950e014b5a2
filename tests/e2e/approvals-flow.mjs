// GUI end-to-end test of closure approval across desks: the real hearing-desk binary under Xvfb as
// the county committee's desk (东河区委政法委) of the demo network, a real hearing-server on
// loopback, and the county court's desk driven with `hearingctl`. Run by tests/e2e/run.sh.
//
// Flow: `hearing-server demo` → the court's desk (hearingctl) enrols with its code, loads its demo
// cases and records its own two levels of a case in 终结审批, then syncs → the committee's desk is
// enrolled and synced with hearingctl before the app starts on it → the 工作台 shows 待审批 (1)
// with the case → a click opens the case: read-only (the court's), but its 终结审批 card names who
// decides each level, preselects the committee's level and lets this desk decide it → the
// decision is saved, not as 代录 → synced, the court's desk (hearingctl) shows the committee's
// decision, and the court can no longer type it itself.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runApp } from './harness.mjs';
import { ctl, serverWork } from './server.mjs';

const port = Number(process.env.TAURI_DRIVER_APPROVALS_PORT || 4462);
const { work, admin, start } = serverWork('approvals');
const court = join(work, 'court');
const ctlFails = (dir, ...args) => {
  try {
    ctl(dir, ...args);
  } catch (e) {
    return `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
  throw new Error(`hearingctl ${args.join(' ')} should have failed`);
};

const codes = Object.fromEntries(
  admin('demo')
    .split('\n')
    .map((l) => l.split('\t')),
);
const base = await start();

// The court: its demo cases, its own levels of the one in 终结审批.
ctl(court, 'enroll', '--server', base, '--code', codes.DHQFY, '--name', '东河区法院');
ctl(court, 'demo');
const number = ctl(court, 'cases', 'list', '--status', 'closureApproval')
  .split('\n')
  .find((l) => l.includes('\t'))
  ?.split('\t')[0]
  ?.trim();
assert.ok(number, 'a demo case in 终结审批');
for (const [level, who] of [
  ['caseOfficer', '李承办'],
  ['organHead', '孙院长'],
]) {
  ctl(court, 'closure', 'approve', '--case', number, '--level', level, '--approver', who, '--opinion', '同意终结');
}
ctl(court, 'sync');
console.log(`[e2e approvals] the court submitted ${number} with its own levels decided`);

await runApp(
  'approvals',
  port,
  async ({ s, log, shot }) => {
    await s.waitCss('body[data-ready="1"]', 60000);
    await s.waitCss('[data-test="approval-inbox"]', 30000);
    let inbox = '';
    await s.waitFor('the 待审批 row', async () => {
      inbox = await s.exec('return document.querySelector(\'[data-test="approval-inbox"]\').textContent');
      return inbox.includes(number) && inbox.includes('东河区人民法院');
    });
    assert.ok(inbox.includes('待审批（1）') && inbox.includes('政法委'), inbox);
    log('the 工作台 shows 待审批 (1)');
    shot('approvals-inbox.png');

    await s.click('[data-test="approval-inbox-case"]');
    await s.waitCss('[data-test="case-approvals"]', 30000);
    await s.waitCss('[data-test="case-read-only"]', 30000);
    const deciders = await s.texts('[data-test="approval-chain-decider"]');
    assert.deepEqual(deciders.slice(0, 3), ['承办单位', '承办单位', '中共青山市东河区委政法委员会'], deciders.join('|'));
    await s.type('[data-test="approval-approver"] input', '赵书记');
    await s.type('[data-test="approval-opinion"] textarea', '同意依法终结。');
    shot('approvals-case.png');
    await s.click('[data-test="approval-save"]');
    await s.waitFor('the decision shown', async () => (await s.texts('[data-test="approval-chain-decision"]')).length === 3);
    assert.equal((await s.findAll('[data-test="approval-chain-proxy"]')).length, 0, 'not 代录');
    log('the committee decided its level of the court’s case');
    shot('approvals-decided.png');

    // The app's own sync takes it up (a few seconds after a change); the court pulls it.
    await s.waitFor(
      'the decision at the court',
      async () => {
        ctl(court, 'sync');
        const line = ctl(court, 'case', 'show', number)
          .split('\n')
          .find((l) => l.trim().startsWith('committee\t'));
        return !!line && line.includes('赵书记') && !line.includes('代录');
      },
      60000,
    );
    const refused = ctlFails(court, 'closure', 'approve', '--case', number, '--level', 'committee', '--approver', '冒名', '--opinion', '同意');
    assert.ok(refused.includes('不能代录'), refused);
    log('the court has the committee’s decision and cannot type one itself');
  },
  {
    prepare: async (dataDir) => {
      ctl(dataDir, 'enroll', '--server', base, '--code', codes.DHQ, '--name', '东河区委政法委');
      ctl(dataDir, 'sync');
    },
  },
);
