// GUI end-to-end test of 同步: the real hearing-desk binary under Xvfb with a fresh data directory,
// and a real hearing-server on loopback. Run by tests/e2e/run.sh.
//
// Flow: the server gets the city committee and two one-time codes → the app's first-run screen
// opens 同步 → enrolment with a wrong code is refused with the server's reason, an unreachable
// server with a hint to check the network → the right code enrols (the header shows the city) →
// a case is registered → the background worker reports it by itself within seconds → 立即同步 →
// status 在线, 0 条待上报, a successful run on top of the history, header tag 已同步 → another
// desk enrolled with `hearingctl` syncs and lists the case → a county desk (hearingctl) registers
// a case with a hearing, a draft and a finalised document (its PDF a blob the city may fetch) →
// on the city's app the case, its hearing and its documents are read-only: the note names the
// county, every button that would change them is disabled with a tooltip saying why, clicking one
// does nothing.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runApp } from './harness.mjs';
import { ctl, serverWork } from './server.mjs';

const port = Number(process.env.TAURI_DRIVER_SYNC_PORT || 4452);
const { work, admin, start } = serverWork('sync-server');

admin('org', 'add', '--id', 'city', '--name', '青山市委政法委', '--kind', 'committee', '--code', 'QSS');
const codeApp = admin('code', 'issue', '--org', 'city');
const codeOther = admin('code', 'issue', '--org', 'city');

const base = await start();
console.log(`[e2e sync] hearing-server at ${base}`);

await runApp('sync', port, async ({ s, log, shot }) => {
  const enrolError = () => s.text('[data-test="sync-enrol-error"]');
  async function enrol(url, code) {
    await s.type('input[data-test="sync-server"]', url);
    await s.type('input[data-test="sync-code"]', code);
    await s.click('[data-test="sync-enrol-submit"]');
  }

  await s.waitCss('body[data-ready="1"]', 60000);
  await s.click('[data-test="first-run-sync"]');
  await s.waitCss('input[data-test="sync-server"]', 30000);
  const deviceName = await s.exec(
    'return document.querySelector(\'input[data-test="sync-device-name"]\').value',
  );
  assert.ok(deviceName.trim().length > 0, 'a desk name is suggested');
  log(`enrolment form, suggested name "${deviceName}"`);

  // A wrong code: the server's reason is shown, nothing is enrolled.
  await enrol(base, 'WRON-GCOD-E000');
  const wrong = await s.waitFor('the refusal of a wrong code', async () => {
    const t = await enrolError();
    return /invalid_code/.test(t) && /[登注][记册]码/.test(t) ? t : null;
  });
  log(`wrong code refused: ${wrong.replace(/\s+/g, ' ')}`);
  shot('sync-enrol-refused.png');

  // An unreachable server: said so, with a hint.
  await enrol('http://127.0.0.1:9', codeApp);
  const offline = await s.waitFor('the unreachable server', async () => {
    const t = await enrolError();
    return t.includes('无法连接同步服务器') ? t : null;
  });
  assert.match(offline, /请检查网络连接/);
  log('unreachable server reported');

  // The right code.
  await enrol(base, codeApp);
  await s.waitCss('[data-test="sync-status"]', 30000);
  await s.waitFor('the desk org in the header', async () =>
    (await s.text('[data-test="desk-org-name"]')).includes('青山市委政法委'),
  );
  assert.equal((await s.text('[data-test="sync-server-url"]')).trim(), base);
  log('enrolled; the header shows 青山市委政法委');

  // A case registered on this desk.
  await s.click('[data-test="nav-cases"]');
  await s.click('[data-test="case-new"]');
  const title = `同步测试人不服借款纠纷判决信访案-${Date.now() % 100000}`;
  await s.type('[data-test="case-title"] input', title);
  await s.choose('[data-test="case-category"]', '[data-test="case-category-option-civil"]', '民事');
  await s.type('[data-test="case-demands"] textarea', '请求撤销原判决。');
  await s.type('[data-test="petitioner-name-0"] input', '同步测试人');
  await s.type('[data-test="petitioner-id-0"] input', '11010519491231002X');
  await s.click('[data-test="case-save"]');
  await s.waitFor('the case detail', async () =>
    (await s.text('[data-test="case-detail-title"]')).includes(title),
  );
  log(`case registered: ${title}`);

  // The background worker reports the new case by itself a few seconds after the change.
  await s.click('[data-test="nav-sync"]');
  await s.waitCss('[data-test="sync-status"]', 30000);
  const pushedColumn = () =>
    s.exec(`return [...document.querySelectorAll('[data-test="sync-history-table"] .el-table__body tr')]
      .map((r) => Number((r.querySelectorAll('td')[1] || {}).textContent || 0));`);
  const auto = await s.waitFor(
    'an automatic run that reported the case',
    async () => {
      const pushed = await pushedColumn();
      return pushed.some((n) => n >= 1) ? pushed : null;
    },
    30000,
  );
  log(`the worker synced by itself after the change (${auto.length} run(s) so far)`);

  // 立即同步: nothing waits, one more run in the history.
  await s.click('[data-test="sync-now"]');
  await s.waitFor(
    'a synced status',
    async () =>
      (await s.text('[data-test="sync-waiting"]')).trim() === '0 条' &&
      (await s.text('[data-test="sync-connection"]')).trim() === '在线',
    60000,
  );
  const rows = await s.waitFor('the run of 立即同步 in the history', async () => {
    const r = await s.texts('[data-test="sync-history-table"] .el-table__body tr');
    return r.length > auto.length && r[0].includes('成功') ? r : null;
  });
  assert.equal((await s.text('[data-test="sync-conflict-count"]')).trim(), '0 条');
  const tag = await s.waitFor('the header tag', async () => {
    const t = (await s.text('[data-test="sync-indicator"]')).trim();
    return t === '已同步' ? t : null;
  });
  log(`synced: ${rows.length} run(s) in the history, header tag ${tag}`);
  shot('sync-view.png');

  // Another desk of the city receives the case.
  const other = join(work, 'other-desk');
  const enrolled = ctl(other, 'enroll', '--server', base, '--code', codeOther, '--name', '另一台工作台');
  assert.match(enrolled, /已注册/);
  ctl(other, 'sync');
  const cases = ctl(other, 'cases', 'list');
  assert.ok(cases.includes(title), `the other desk lists the case:\n${cases}`);
  log('another desk enrolled with hearingctl received the case');

  // A county below the city registers a case; after sync the city's app shows it read-only.
  admin('org', 'add', '--id', 'east', '--name', '东河区委政法委', '--parent', 'city', '--kind', 'committee', '--code', 'DHQ');
  const county = join(work, 'county-desk');
  ctl(county, 'enroll', '--server', base, '--code', admin('code', 'issue', '--org', 'east'), '--name', '东河区工作台');
  const countyTitle = '东河区登记的信访案';
  const created = ctl(county, 'cases', 'create', '--title', countyTitle, '--petitioner', '王某', '--demands', '再审');
  const countyCase = created.match(/已登记：(\S+)/)?.[1];
  assert.ok(countyCase, `the county case number:\n${created}`);
  const planned = ctl(county, 'hearing', 'create', '--case', countyCase, '--date', '2030-12-20', '--time', '09:30', '--venue', '东河区听证室', '--title', '东河区听证会');
  assert.match(planned, /听证会编号：/);
  ctl(county, 'doc', 'generate', '--kind', 'approval', '--case', countyCase);
  const plan = ctl(county, 'doc', 'generate', '--kind', 'plan', '--case', countyCase).trim().split(/\s+/)[0];
  assert.match(ctl(county, 'doc', 'finalize', plan), /定稿/);
  ctl(county, 'sync');
  await s.click('[data-test="sync-now"]');
  await s.click('[data-test="nav-cases"]');
  await s.waitFor(
    'the county case in the list',
    async () => {
      const titles = await s.texts('[data-test="case-row-title"]');
      if (titles.some((t) => t.includes(countyTitle))) return true;
      await s.click('[data-test="nav-sync"]');
      await s.click('[data-test="sync-now"]');
      await s.click('[data-test="nav-cases"]');
      return false;
    },
    60000,
  );
  await s.exec(
    `const el = [...document.querySelectorAll('[data-test="case-row-title"]')].find((e) => e.textContent.includes(arguments[0]));
     el.click();`,
    [countyTitle],
  );
  const note = await s.waitFor('the read-only note', async () => {
    const t = await s.exec(`const e = document.querySelector('[data-test="case-read-only"]'); return e ? e.textContent : null;`);
    return t && t.includes('东河区委政法委') ? t : null;
  });
  log(`the county's case is read-only on the city desk: ${note.trim()}`);

  /**
   * Of the elements matching `css`, those that can be used: not disabled, or without the
   * read-only tooltip (with its reason naming the county) around them.
   */
  const usable = (css) =>
    s.exec(
      `return [...document.querySelectorAll(arguments[0])].filter((b) => {
         const tip = b.closest('[data-test="read-only-tip"]');
         const disabled = b.disabled || b.classList.contains('is-disabled') || b.getAttribute('aria-disabled') === 'true';
         return !disabled || !tip || !tip.dataset.reason.includes('东河区委政法委');
       }).map((b) => b.dataset.test || b.textContent.trim());`,
      [css],
    );
  const count = (css) => s.exec('return document.querySelectorAll(arguments[0]).length;', [css]);

  // The case page: the workflow, the hearing, the leader assignment, the slips, the documents.
  const caseButtons = [
    '[data-test="case-edit"]',
    '[data-test="analysis-save"]',
    '[data-test^="case-action-"]',
    '[data-test="hearing-plan-open"]',
    '[data-test="approval-save"]',
    '[data-test="leader-save"]',
    '[data-test="slip-add"]',
    '[data-test="visit-add"]',
    '[data-test="doc-generate"]',
    '[data-test^="doc-edit-"]',
    '[data-test^="doc-finalize-"]',
    '[data-test^="doc-printed-"]',
    '[data-test^="doc-scan-"]',
    '[data-test^="doc-serve-"]',
    '[data-test^="doc-file-"]',
  ].join(', ');
  await s.waitFor('the documents of the county case (the finalised one with its PDF)', async () =>
    (await count('[data-test^="doc-finalize-"]')) >= 2 && (await s.texts('[data-test^="doc-code-"]')).length >= 1,
  );
  const n = await count(caseButtons);
  assert.ok(n >= 20, `the case page shows its buttons (${n})`);
  assert.deepEqual(await usable(caseButtons), [], 'no button on the county case is usable');
  assert.ok((await count('[data-test^="case-action-"]')) >= 1, 'workflow actions are shown (disabled)');
  // Previewing a document still works.
  assert.deepEqual(
    (await usable('[data-test^="doc-preview-"]')).length,
    await count('[data-test^="doc-preview-"]'),
    'documents can still be previewed',
  );
  // Hovering a disabled button says why.
  const planButton = await s.find('[data-test="hearing-plan-open"]');
  const planTip = await s.xpath('//*[@data-test="read-only-tip"][.//*[@data-test="hearing-plan-open"]]');
  await s.exec("arguments[0].scrollIntoView({ block: 'center' });", [{ 'element-6066-11e4-a52e-4f735466cecf': planTip }]);
  await s.cmd('POST', '/actions', {
    actions: [
      {
        type: 'pointer',
        id: 'mouse',
        parameters: { pointerType: 'mouse' },
        actions: [{ type: 'pointerMove', duration: 0, origin: { 'element-6066-11e4-a52e-4f735466cecf': planTip }, x: 0, y: 0 }],
      },
    ],
  });
  const tooltip = await s.waitFor('the tooltip of a disabled button', async () => {
    const t = await s.exec(
      `return [...document.querySelectorAll('.el-popper')].filter((p) => getComputedStyle(p).display !== 'none').map((p) => p.textContent).join(' ');`,
    );
    return t.includes('东河区委政法委') && t.includes('不能修改') ? t.trim() : null;
  });
  log(`tooltip: ${tooltip}`);
  // Clicking it does nothing.
  try {
    await s.cmd('POST', `/element/${planButton}/click`, {});
  } catch {
    /* a disabled element may refuse the click */
  }
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(
    await s.exec(`const d = document.querySelector('[data-test="hearing-plan-dialog"]'); return !!d && d.offsetParent !== null;`),
    false,
    'no planning dialog opens',
  );
  shot('sync-read-only-case.png');
  log(`the county case's ${n} buttons are disabled with the reason`);

  // Its hearing: actions, the plan, the people.
  await s.click('[data-test="hearing-row"]');
  await s.waitFor('the read-only note on the hearing', async () => {
    const t = await s.exec(`const e = document.querySelector('[data-test="hearing-read-only"]'); return e ? e.textContent : null;`);
    return t && t.includes('东河区委政法委');
  });
  await s.waitCss('[data-test^="hearing-action-"]');
  const hearingButtons = '[data-test^="hearing-action-"], [data-test="hearing-plan-update"]';
  assert.ok((await count(hearingButtons)) >= 3, 'the hearing shows its actions and the plan button');
  assert.deepEqual(await usable(hearingButtons), [], 'no hearing button is usable');
  await s.click('[data-test="hearing-tab-people"]');
  await s.waitCss('[data-test="add-presider"]');
  const peopleButtons = '[data-test="add-presider"], [data-test="add-clerk"], [data-test="panel-draw-open"], [data-test="add-party"]';
  assert.equal(await count(peopleButtons), 4);
  assert.deepEqual(await usable(peopleButtons), [], 'no button of the people tab is usable');
  await s.click('[data-test="hearing-tab-notices"]');
  await s.waitCss('[data-test="announce-save"]');
  assert.deepEqual(await usable('[data-test="announce-save"], [data-test^="notice-save-"]'), [], 'notices cannot be recorded');
  shot('sync-read-only-hearing.png');
  log("the county's hearing is read-only on the city desk");
});
