// GUI end-to-end test of the hearing workflow: the real hearing-desk binary under Xvfb, driven
// through tauri-driver + WebKitWebDriver, with a fresh data directory. Run by tests/e2e/run.sh.
//
// Flow (demo data): a case in 拟终结 → plan a public hearing for today (China date) → presider and
// clerk → random draw of 3 panelists → invitations sent and accepted, declarations signed →
// notices sent; opening is refused until the petitioner is served and the announcement published →
// served 8 days ago, announced 9 days ago → open → case referred to hearing → recording mode:
// attendance, 6 entries over 3 agenda steps typed with key presses, one correction (struck through)
// → deliberation: 2 agree, 1 disagree; tally with majority and the minority verbatim → conclude →
// everyone signs → transcript signed (hash) → organ decision → approval chain → case closed.

import assert from 'node:assert/strict';
import { runApp } from './harness.mjs';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
const KEY = { enter: '\uE007', ctrl: '\uE009', alt: '\uE00A', release: '\uE000' };

/** A date in China (UTC+8, no daylight saving) `offset` days from today, whatever the machine's zone. */
function chinaDate(offset = 0) {
  const now = new Date(Date.now() + 8 * 3600 * 1000);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + offset));
  return d.toISOString().slice(0, 10);
}

const port = Number(process.env.TAURI_DRIVER_HEARING_PORT || 4446);

await runApp('hearing', port, async ({ s, log, shot }) => {

  /** Sends key presses to the element (no clearing). */
  const keys = async (css, text) => {
    const el = await s.waitCss(css);
    await s.cmd('POST', `/element/${el}/value`, { text });
  };
  /** Types a date into an el-date-picker and confirms it with Enter. */
  const typeDate = async (css, date) => {
    await s.type(css, date);
    await keys(css, KEY.enter);
    await s.waitFor(`${css} = ${date}`, async () =>
      (await s.exec('return document.querySelector(arguments[0]).value', [css])) === date,
    );
  };
  const textOf = async (css) => (await s.text(css)).trim();
  const waitText = (css, pred, what = css) =>
    s.waitFor(what, async () => {
      const t = await textOf(css);
      return pred(t) ? t : null;
    });
  const count = async (css) => (await s.findAll(css)).length;
  const exists = async (css) => (await count(css)) > 0;
  const selectOption = (css, label) => s.choose(css, null, label);
  const hearingStatus = (label) => waitText('[data-test="hearing-status"]', (t) => t === label, `hearing status ${label}`);
  const caseStatus = (label) => waitText('[data-test="case-status"]', (t) => t === label, `case status ${label}`);
  const tab = (name) => s.click(`[data-test="hearing-tab-${name}"]`);

  await s.waitCss('body[data-ready="1"]', 60000);
  await s.click('[data-test="first-run-demo"]');
  await s.waitCss('[data-test="nav-cases"]', 30000);
  log('demo loaded');

  // The hearings page is empty and says where hearings come from.
  await s.click('[data-test="nav-hearings"]');
  await waitText('[data-test="hearings-empty"]', (t) => t.includes('案件详情页'));

  // A demo case in 拟终结, found by status filter and search.
  await s.click('[data-test="nav-cases"]');
  await selectOption('[data-test="case-filter-status"]', '拟终结');
  await s.type('[data-test="case-search"] input', '那日苏');
  const caseTitle = await s.waitFor('the 拟终结 case', async () => {
    const titles = await s.texts('[data-test="case-row-title"]');
    return titles.length === 1 && titles[0].includes('那日苏') ? titles[0] : null;
  });
  await s.click('[data-test="case-row-title"]');
  await caseStatus('拟终结');
  log(`case: ${caseTitle}`);

  // Plan a public hearing for today.
  const today = chinaDate(0);
  await s.click('[data-test="hearing-plan-open"]');
  await s.waitCss('[data-test="hearing-plan-dialog"] [data-test="hearing-plan-title"] input');
  const planTitle = await s.exec(
    'return document.querySelector(\'[data-test="hearing-plan-dialog"] [data-test="hearing-plan-title"] input\').value',
  );
  assert.ok(planTitle.startsWith(caseTitle), `default title: ${planTitle}`);
  await typeDate('[data-test="hearing-plan-dialog"] [data-test="hearing-plan-date"] input', today);
  await s.type('[data-test="hearing-plan-dialog"] [data-test="hearing-plan-venue"] input', '白云旗人民法院听证室');
  await s.click('[data-test="hearing-plan-save"]');
  await waitText('[data-test="hearing-title"]', (t) => t.includes('听证会'));
  await hearingStatus('筹备');
  log(`hearing planned for ${today}`);

  // Presider and clerk.
  await tab('people');
  for (const [role, name] of [['presider', '赵主持'], ['clerk', '钱记录']]) {
    await s.click(`[data-test="add-${role}"]`);
    await s.type('[data-test="participant-name"] input', name);
    await s.type('[data-test="participant-unit"] input', '白云旗委政法委');
    await s.click('[data-test="participant-save"]');
    await waitText(`[data-test="${role}-name"]`, (t) => t === name);
  }
  log('presider and clerk appointed');

  // Random draw of 3 from 党代表/人大代表/政协委员 (the default filter).
  await s.click('[data-test="panel-draw-open"]');
  await s.type('[data-test="panel-draw-count"] input', '3');
  await s.type('[data-test="panel-draw-seed"] input', '听证2026');
  await s.click('[data-test="panel-draw-run"]');
  const drawn = await waitText('[data-test="panel-draw-names"]', (t) => t.split('、').length === 3);
  assert.equal(await textOf('[data-test="panel-draw-seed-used"]'), '听证2026');
  assert.match(await textOf('[data-test="panel-draw-result"]'), /可凭种子复核/);
  await s.click('[data-test="panel-draw-close"]');
  await s.waitFor('3 panelists', async () => (await count('[data-test="panelist-name"]')) === 3);
  log(`drawn: ${drawn}`);

  // Invitations: sent → accepted; declarations signed.
  for (let i = 0; i < 3; i++) {
    await s.click(`[data-test="invite-sent-${i}"]`);
    await s.click(`[data-test="invite-accepted-${i}"]`);
    await waitText(`[data-test="invite-status-${i}"]`, (t) => t === '已接受');
    await s.click(`[data-test="declaration-sign-${i}"]`);
    await s.waitFor(`declaration ${i} signed`, async () =>
      s.exec('return document.querySelector(arguments[0]).classList.contains("is-checked")', [
        `[data-test="declaration-sign-${i}"]`,
      ]),
    );
  }
  log('invitations accepted, declarations signed');

  await s.click('[data-test="hearing-action-notify"]');
  await hearingStatus('已通知');

  // Opening now is refused, with the missing notice and announcement listed.
  await s.click('[data-test="hearing-action-open"]');
  const refusal = await waitText('[data-test="refusal"]', (t) => t.includes('尚未送达'));
  assert.match(refusal, /那日苏 的听证通知尚未送达/);
  assert.match(refusal, /公告/);
  log('opening refused before the notices, as it should');
  shot('hearing-refusal.png');

  // Notices: served 8 days ago, announcement 9 days ago.
  await tab('notices');
  await waitText('[data-test="notice-days"]', (t) => t.includes('7'));
  const parties = await count('[data-test^="notice-save-"]');
  assert.ok(parties >= 1);
  for (let i = 0; i < parties; i++) {
    await typeDate(`[data-test="notice-date-${i}"] input`, chinaDate(-8));
    await s.click(`[data-test="notice-save-${i}"]`);
    await waitText(`[data-test="notice-check-${i}"]`, (t) => t.includes('8'));
  }
  await typeDate('[data-test="announce-date"] input', chinaDate(-9));
  await s.click('[data-test="announce-save"]');
  await waitText('[data-test="announce-current"]', (t) => t.includes(chinaDate(-9)));
  await s.click('[data-test="hearing-action-open"]');
  await hearingStatus('进行中');
  log('notices served, hearing open');

  // The case goes to 听证.
  await s.click('[data-test="hearing-case-link"]');
  await caseStatus('拟终结');
  await s.click('[data-test="case-action-scheduleHearing"]');
  await caseStatus('听证');
  await s.click('[data-test="hearing-row"]');
  await hearingStatus('进行中');
  log('case referred to hearing');

  // Recording mode.
  await tab('record');
  await s.click('[data-test="record-open"]');
  await s.waitCss('[data-test="record-input"] textarea');

  // Attendance: everyone whose attendance is taken is present.
  const rows = await count('[data-test^="attendance-row-"]');
  for (let i = 0; i < rows; i++) {
    if (await exists(`[data-test="attendance-attended-${i}"]`)) {
      await s.click(`[data-test="attendance-attended-${i}"]`);
      await s.waitFor(`attendance ${i}`, async () => !(await exists(`[data-test="attendance-attended-${i}"]`)));
    }
  }
  log(`attendance taken for ${rows}`);

  const box = '[data-test="record-input"] textarea';
  const entryCount = () => count('[data-test="record-entry"]');
  /** Types one entry with real key presses and seals it with Ctrl+Enter. */
  const entry = async (text) => {
    const before = await entryCount();
    await keys(box, text);
    await waitText('[data-test="record-saved"]', (t) => t.startsWith('已保存'), 'saved indicator');
    await keys(box, KEY.ctrl + KEY.enter + KEY.release);
    await s.waitFor('box cleared after Ctrl+Enter', async () => (await s.exec('return document.querySelector(arguments[0]).value', [box])) === '');
    await s.waitFor('entry listed', async () => (await entryCount()) === before + 1);
  };
  const steps = [4, 5, 8];
  const texts = [];
  for (const [k, stepIndex] of steps.entries()) {
    await s.click(`[data-test="record-step-${stepIndex}"]`);
    await s.waitFor(`step ${stepIndex} current`, async () =>
      s.exec('return document.querySelector(arguments[0]).classList.contains("active")', [`[data-test="record-step-${stepIndex}"]`]),
    );
    await s.click('[data-test="record-speaker-0"]');
    const a = `第${k + 1}环节主持人发言：请陈述意见。`;
    await entry(a);
    // The next speaker by keyboard (Alt+2), falling back to a click if the key does not arrive.
    await keys(box, KEY.alt + '2' + KEY.release);
    const switched = await s
      .waitFor('Alt+2 speaker', async () =>
        s.exec('return document.querySelector(arguments[0]).classList.contains("active")', ['[data-test="record-speaker-1"]']),
      3000)
      .catch(() => false);
    if (!switched) {
      log('Alt+2 did not switch the speaker; clicking');
      await s.click('[data-test="record-speaker-1"]');
    }
    const b = `第${k + 1}环节信访人陈述：对原判决不服，要求返还出资。`;
    await entry(b);
    texts.push(a, b);
  }
  const all = await s.texts('[data-test="record-entry-text"]');
  for (const x of texts) assert.ok(all.includes(x), `entry listed: ${x}`);
  log(`${all.length} entries over 3 steps`);

  // Correct the first entry: the old one is struck through, the correction under it.
  const firstSeq = await s.exec('return document.querySelector(\'[data-test="record-entry"]\').dataset.seq');
  await s.click(`[data-test="record-correct-${firstSeq}"]`);
  await s.waitCss('[data-test="record-correcting"]');
  const fixed = '第1环节主持人发言：请承办单位陈述意见（更正）。';
  await s.type(box, fixed);
  await waitText('[data-test="record-saved"]', (t) => t.startsWith('已保存'), 'correction saved');
  await keys(box, KEY.ctrl + KEY.enter + KEY.release);
  const decoration = await s.waitFor('the old entry struck through', async () => {
    const d = await s.exec(
      'const e = document.querySelector(`[data-test="record-entry"][data-seq="${arguments[0]}"] [data-test="record-entry-text"]`); return e ? getComputedStyle(e).textDecorationLine || getComputedStyle(e).textDecoration : ""',
      [firstSeq],
    );
    return d.includes('line-through') ? d : null;
  });
  assert.ok(decoration.includes('line-through'));
  assert.ok((await s.texts('[data-test="record-entry-text"]')).includes(fixed));
  log('correction recorded, old entry struck through');
  shot('hearing-recording.png');

  // Deliberation.
  await s.click('[data-test="hearing-action-startDeliberation"]');
  await hearingStatus('评议');
  await s.click('[data-test="record-back"]');
  await tab('deliberation');
  const votes = ['agree', 'agree', 'disagree'];
  const minority = '原审认定事实清楚，但出资返还问题仍有争议，建议进一步释法说理后再行终结。';
  for (const [i, v] of votes.entries()) {
    await s.click(`[data-test="opinion-vote-${i}-${v}"]`);
    await s.type(`[data-test="opinion-facts-${i}"] textarea`, '事实清楚');
    await s.type(`[data-test="opinion-reasons-${i}"] textarea`, v === 'agree' ? '同意依法终结。' : minority);
    await s.click(`[data-test="opinion-save-${i}"]`);
    await waitText('[data-test="tally"]', (t) => t.includes(`共 ${i + 1} 份`));
  }
  await waitText('[data-test="tally-majority"]', (t) => t === '同意');
  await waitText('[data-test="tally-minority"]', (t) => t.includes(minority));
  log('tally: majority 同意, minority kept verbatim');
  shot('hearing-deliberation.png');

  await s.click('[data-test="hearing-action-conclude"]');
  await hearingStatus('已结束');

  // Signatures, then the transcript is frozen.
  await tab('signatures');
  await s.waitCss('[data-test="sign-0-signed"]');
  for (let i = 0; await exists(`[data-test="sign-${i}-signed"]`); i++) {
    await s.click(`[data-test="sign-${i}-signed"]`);
    await waitText(`[data-test="sign-status-${i}"]`, (t) => t === '已签');
  }
  await s.click('[data-test="hearing-action-signTranscript"]');
  await hearingStatus('笔录已签');
  const hash = await waitText('[data-test="transcript-hash"]', (t) => /^[0-9a-f]{64}$/.test(t));
  log(`transcript signed: ${hash.slice(0, 12)}…`);

  // The organ follows the majority.
  await tab('deliberation');
  await s.click('[data-test="organ-decision-agree"]');
  await s.click('[data-test="organ-decision-save"]');
  await waitText('[data-test="organ-decision-current"]', (t) => t === '同意');

  // Closure approval and closure.
  await s.click('[data-test="hearing-case-link"]');
  await caseStatus('听证');
  await s.click('[data-test="case-action-submitForApproval"]');
  await caseStatus('终结审批');
  for (const [i, level] of ['承办人', '单位负责人', '政法委'].entries()) {
    await selectOption('[data-test="approval-level"]', level);
    await s.type('[data-test="approval-approver"] input', `${level}审批人`);
    await s.type('[data-test="approval-opinion"] textarea', '同意终结。');
    await s.click('[data-test="approval-save"]');
    await s.waitFor(`approval ${level}`, async () => (await count('[data-test="approval-chain-decision"]')) === i + 1);
  }
  await s.click('[data-test="case-action-close"]');
  await caseStatus('已终结');
  await waitText('[data-test="case-detail-status"]', (t) => t === '已终结');
  log('case closed');
  shot('hearing-case-closed.png');

  // The hearing is on the hearings page.
  await s.click('[data-test="nav-hearings"]');
  await s.waitFor('the hearing listed', async () => (await count('[data-test="hearing-row"]')) === 1);
});
