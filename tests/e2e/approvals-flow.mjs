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
// decision, and the court can no longer type it itself → on the same case the committee issues a
// 交办单 to the court in the app (numbered) → the court (hearingctl) pulls it and answers with a
// 反馈 → the app shows the answer by itself (the server's notice; no one presses 立即同步) → the
// committee accepts it (办结) in the app → the court pulls 已办结.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runApp } from './harness.mjs';
import { ctl, serverWork } from './server.mjs';

const port = Number(process.env.TAURI_DRIVER_APPROVALS_PORT || 4462);

/** A date in China (UTC+8) `offset` days from today, as YYYY-MM-DD. */
const chinaDate = (offset) => new Date(Date.now() + 8 * 3600e3 + offset * 86400e3).toISOString().slice(0, 10);
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

    // 三单: the committee issues a 交办单 on the court's case it may only read.
    await s.click('[data-test="slip-new"]');
    await s.waitCss('textarea[data-test="slip-content"], [data-test="slip-content"] textarea', 10000);
    await s.type('textarea[data-test="slip-content"], [data-test="slip-content"] textarea', '请于期限内补充听证笔录并报送办理情况。');
    await s.type('input[data-test="slip-deadline"], [data-test="slip-deadline"] input', chinaDate(10));
    await s.cmd('POST', `/element/${await s.waitCss('input[data-test="slip-deadline"], [data-test="slip-deadline"] input')}/value`, { text: '\uE007' });
    await s.type('input[data-test="slip-issued-by"], [data-test="slip-issued-by"] input', '赵书记');
    await s.click('[data-test="slip-issue"]');
    let slipNumber = '';
    await s.waitFor('the slip issued', async () => {
      slipNumber = (await s.texts('[data-test="slip-number"]'))[0] ?? '';
      return slipNumber.startsWith('青政法交办〔');
    });
    assert.deepEqual(await s.texts('[data-test="slip-stage"]'), ['待反馈']);
    log(`the committee issued ${slipNumber} to the court`);
    await s.exec('document.querySelector(\'[data-test="case-slips"]\').scrollIntoView()');
    shot('approvals-slip-issued.png');

    // The court answers on its own desk; the app shows it without a manual sync.
    let slipId = '';
    await s.waitFor(
      'the slip at the court',
      async () => {
        ctl(court, 'sync');
        const todo = ctl(court, 'slip', 'list', '--todo');
        slipId = todo.split('\n').find((l) => l.includes(slipNumber))?.split('\t')[0] ?? '';
        return slipId !== '' && todo.includes('待本单位反馈');
      },
      60000,
    );
    ctl(court, 'slip', 'feedback', '--slip', slipId, '--text', '已补充听证笔录，随文报送。', '--by', '李承办', '--head', '孙院长');
    ctl(court, 'sync');
    const answeredAt = Date.now();
    await s.waitFor('the answer shown by itself', async () => (await s.texts('[data-test="slip-stage"]'))[0] === '待审核', 20000);
    log(`the court's answer showed in the app ${((Date.now() - answeredAt) / 1000).toFixed(1)} s after its push, with no manual sync`);
    assert.ok((await s.texts('[data-test="slip-feedback"]'))[0].includes('已补充听证笔录'));
    await s.exec('document.querySelector(\'[data-test="case-slips"]\').scrollIntoView()');
    shot('approvals-slip-answered.png');

    // 办结 in the app; the court pulls it.
    await s.click('[data-test="slip-accept"]');
    await s.click('.el-message-box__btns .el-button--primary');
    await s.waitFor('the slip done', async () => (await s.texts('[data-test="slip-stage"]'))[0] === '已办结');
    await s.waitFor(
      'the slip done at the court',
      async () => {
        ctl(court, 'sync');
        return ctl(court, 'slip', 'list').includes('已办结');
      },
      60000,
    );
    log('the committee accepted the answer; the court has 已办结');
  },
  {
    prepare: async (dataDir) => {
      ctl(dataDir, 'enroll', '--server', base, '--code', codes.DHQ, '--name', '东河区委政法委');
      ctl(dataDir, 'sync');
    },
  },
);
