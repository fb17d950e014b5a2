// GUI end-to-end test: the real hearing-desk binary under Xvfb, driven through tauri-driver +
// WebKitWebDriver, with a fresh data directory. Run by `make test` (tests/e2e/run.sh).
//
// Flow: first run → load demo → create a case (an invalid ID number must be refused with the
// reason shown under the field, then a valid one saves) → find it by search → open its detail →
// add a person to the pool and find them in the list.

import assert from 'node:assert/strict';
import { runApp } from './harness.mjs';

const port = Number(process.env.TAURI_DRIVER_PORT || 4444);

await runApp('', port, async ({ s, log, shot }) => {
  await s.waitCss('body[data-ready="1"]', 60000);
  log('app is up');

  // First run: the choice between demo data and an empty desk.
  await s.click('[data-test="first-run-demo"]');
  await s.waitCss('[data-test="nav-cases"]', 30000);
  log('demo loaded');

  // A new case with an invalid ID number.
  await s.click('[data-test="nav-cases"]');
  await s.click('[data-test="case-new"]');
  const title = `测试人甲不服民间借贷纠纷判决信访案-${Date.now() % 100000}`;
  await s.type('[data-test="case-title"] input', title);
  await s.choose('[data-test="case-category"]', '[data-test="case-category-option-civil"]', '民事');
  await s.type('[data-test="case-demands"] textarea', '请求撤销原判决，返还借款本金十二万元。');
  await s.type('[data-test="petitioner-name-0"] input', '测试人甲');
  await s.type('[data-test="petitioner-id-0"] input', '340524198001010013');
  await s.type('[data-test="petitioner-phone-0"] input', '13912345678');
  await s.click('[data-test="case-save"]');
  const error = await s.waitFor('the ID number error', async () => {
    const texts = await s.texts('.el-form-item__error');
    return texts.find((t) => t.includes('校验位'));
  });
  log(`invalid ID refused: ${error}`);
  assert.match(error, /校验位/);

  // Corrected, it saves and opens the detail.
  await s.type('[data-test="petitioner-id-0"] input', '11010519491231002X');
  await s.click('[data-test="case-save"]');
  const detailTitle = await s.waitFor('the case detail', async () => {
    const t = await s.text('[data-test="case-detail-title"]');
    return t.includes(title) ? t : null;
  });
  assert.ok(detailTitle.includes(title));
  const number = (await s.text('[data-test="case-detail-number"]')).trim();
  log(`case saved as ${number}`);
  assert.ok(number.length > 0);

  // Find it in the list by search and open it again.
  await s.click('[data-test="nav-cases"]');
  await s.type('[data-test="case-search"] input', '测试人甲');
  const rowTitles = await s.waitFor('the search result', async () => {
    const titles = await s.texts('[data-test="case-row-title"]');
    return titles.length === 1 && titles[0].includes(title) ? titles : null;
  });
  assert.equal(rowTitles.length, 1);
  await s.click('[data-test="case-row-title"]');
  await s.waitFor('the detail via the list', async () =>
    (await s.text('[data-test="case-detail-title"]')).includes(title),
  );
  log('found by search and opened');

  // Add a person to the pool.
  await s.click('[data-test="nav-persons"]');
  await s.click('[data-test="person-new"]');
  const person = `测试委员${Date.now() % 1000}`;
  await s.type('[data-test="person-name"] input', person);
  await s.choose('[data-test="person-kind"]', '[data-test="person-kind-option-cppccMember"]', '政协委员');
  await s.type('[data-test="person-unit"] input', '青山市第一中学');
  await s.type('[data-test="person-phone"] input', '13700001234');
  await s.click('[data-test="person-save"]');
  // The dialog closes once the person is saved.
  await s.waitFor('the dialog to close', async () => (await s.findAll('[data-test="person-save"]')).length === 0 ||
    !(await s.cmd('GET', `/element/${await s.find('[data-test="person-save"]')}/displayed`)));
  await s.type('[data-test="person-search"] input', person);
  await s.waitFor('the new person in the list', async () => {
    const names = await s.texts('[data-test="person-row-name"]');
    return names.length === 1 && names[0].includes(person);
  });
  log('person added and listed');

  shot('persons.png');
});
