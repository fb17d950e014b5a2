// GUI end-to-end test of the documents card: the real hearing-desk binary under Xvfb, driven
// through tauri-driver + WebKitWebDriver, with a fresh data directory. Run by tests/e2e/run.sh.
//
// Flow (demo data): 设置 → 文书模板: the 终结审批表 template is 内置; a line with an unknown field is
// refused (named, badge unchanged); a good line is saved (已自定义) and previewed with a case →
// open a demo case → generate a 终结审批表 (a kind that needs no hearing): its text has the saved
// line → preview shows at least one rendered page image → 定稿 (confirmed) → state 已定稿 and a
// verification code → 已打印 → state 已打印 → 设置: 恢复内置 → 内置 again.

import assert from 'node:assert/strict';
import { runApp } from './harness.mjs';
import { sleep } from './webdriver.mjs';

const port = Number(process.env.TAURI_DRIVER_DOCUMENTS_PORT || 4448);

await runApp('documents', port, async ({ s, log, shot }) => {
  const waitText = (css, pred, what = css) =>
    s.waitFor(what, async () => {
      const t = (await s.text(css)).trim();
      return pred(t) ? t : null;
    });
  const selectOption = (css, label) => s.choose(css, null, label);

  await s.waitCss('body[data-ready="1"]', 60000);
  log('app is up');
  await s.click('[data-test="first-run-demo"]');
  await s.waitCss('[data-test="nav-cases"]', 30000);
  log('demo loaded');

  // 设置 → 文书模板.
  const TEXTAREA = '[data-test="template-text"] textarea';
  const badge = () => s.text('[data-test="template-badge"]');
  /** Appends a line to the template being edited, the way Vue's v-model listens. */
  const appendLine = (line) =>
    s.exec(
      `const ta = document.querySelector(arguments[0]);
       ta.value = ta.value.replace(/\\n*$/, '\\n') + arguments[1] + '\\n';
       ta.dispatchEvent(new Event('input', { bubbles: true }));`,
      [TEXTAREA, line],
    );
  const custom = '@p 本表一式两份，承办单位和政法委各存一份。';
  await s.click('[data-test="nav-settings"]');
  await s.waitCss('[data-test="templates"]', 30000);
  await selectOption('[data-test="template-kind"]', '终结审批表');
  await waitText('[data-test="template-badge"]', (t) => t === '内置', 'badge 内置');
  const builtin = await s.waitFor('the template text', () =>
    s.exec(`const ta = document.querySelector(arguments[0]); return ta && ta.value.includes('@title') ? ta.value : null;`, [TEXTAREA]),
  );
  assert.ok(builtin.includes('{approvals}'), builtin);
  await appendLine('@p 另附：{attachments}');
  await waitText('[data-test="template-unknown"]', (t) => t.includes('{attachments}'), 'the unknown field warning');
  await s.click('[data-test="template-save"]');
  const refusal = await waitText('[data-test="refusal"]', (t) => t.includes('未保存'), 'the refusal');
  assert.match(refusal, /\{attachments\}/);
  assert.equal(await badge(), '内置', 'nothing saved');
  log('a template with an unknown field is refused');
  shot('documents-template-refused.png');
  await s.click('[data-test="template-revert"]');
  await appendLine(custom);
  await s.click('[data-test="template-save"]');
  await waitText('[data-test="template-badge"]', (t) => t === '已自定义', 'badge 已自定义');
  log('template saved');
  await s.waitFor('a case to preview with', () =>
    s.exec(`const b = document.querySelector('[data-test="template-preview"]'); return b && !b.disabled;`),
  );
  await s.click('[data-test="template-preview"]');
  const tpages = await s.waitFor(
    'the template preview',
    () =>
      s.exec(`const imgs = [...document.querySelectorAll('[data-test="template-preview-page"]')];
        return imgs.length && imgs.every((i) => i.src.startsWith('data:image/png') && i.complete && i.naturalWidth > 0) ? imgs.length : 0;`),
    60000,
  );
  log(`template preview shows ${tpages} page(s)`);
  await sleep(400);
  shot('documents-template.png');
  await s.clickXpath("//div[contains(@class,'el-dialog')]//button[normalize-space(.)='关闭']");

  // The 文书 page leads to the cases; open the first one.
  await s.click('[data-test="nav-documents"]');
  await s.waitCss('[data-test="docs-case-row"]');
  const caseTitle = (await s.texts('[data-test="docs-case-row"]'))[0];
  await s.click('[data-test="docs-case-row"]');
  await waitText('[data-test="case-detail-title"]', (t) => t.includes(caseTitle), 'the case detail');
  await s.waitCss('[data-test="case-documents"]');
  log(`opened ${caseTitle}`);

  // Generate a 终结审批表.
  await selectOption('[data-test="doc-generate-kind"]', '终结审批表');
  await s.click('[data-test="doc-generate"]');
  const idx = await s.waitFor('the generated document', () =>
    s.exec(
      `const e = document.querySelector('[data-test="doc-group-approval"] [data-test^="doc-state-"]');
       return e ? e.getAttribute('data-test').slice('doc-state-'.length) : null;`,
    ),
  );
  await waitText(`[data-test="doc-state-${idx}"]`, (t) => t === '草稿', 'state 草稿');
  log(`draft generated (row ${idx})`);

  // The draft was filled from the organ's template.
  await s.click(`[data-test="doc-edit-${idx}"]`);
  const draft = await s.waitFor('the draft text', () =>
    s.exec(`const ta = document.querySelector('[data-test="doc-edit-text"] textarea'); return ta && ta.value ? ta.value : null;`),
  );
  assert.ok(draft.includes(custom), `the saved template line is in the draft:\n${draft}`);
  await s.clickXpath("//div[contains(@class,'el-dialog')]//button[normalize-space(.)='取消']");
  log('the draft uses the saved template');

  // Preview: the pages are PNG images rendered from the PDF.
  await s.click(`[data-test="doc-preview-${idx}"]`);
  const pages = await s.waitFor(
    'a rendered preview page',
    () =>
      s.exec(`const imgs = [...document.querySelectorAll('[data-test="doc-preview-page"]')];
        const ok = imgs.filter((i) => i.src.startsWith('data:image/png') && i.complete && i.naturalWidth > 0);
        return ok.length > 0 && ok.length === imgs.length ? ok.length : 0;`),
    60000,
  );
  assert.ok(pages >= 1);
  const counter = await s.text('[data-test="doc-preview-count"]');
  assert.match(counter, new RegExp(`共 ${pages} 页`));
  log(`preview shows ${pages} page(s)`);
  await sleep(400);
  shot('documents-preview.png');
  await s.clickXpath("//div[contains(@class,'el-dialog')]//button[normalize-space(.)='关闭']");
  await s.waitFor('the preview closed', async () => {
    const shown = await s.exec(
      `return [...document.querySelectorAll('[data-test="doc-preview-page"]')].some((i) => i.offsetParent !== null);`,
    );
    return !shown;
  });

  // 定稿, confirmed.
  await s.click(`[data-test="doc-finalize-${idx}"]`);
  await s.click('[data-test="doc-finalize-confirm"]');
  await waitText(`[data-test="doc-state-${idx}"]`, (t) => t === '已定稿', 'state 已定稿');
  const code = await waitText(`[data-test="doc-code-${idx}"]`, (t) => t.length > 0, 'the verification code');
  log(`finalized, verification code ${code}`);

  // 已打印.
  await s.click(`[data-test="doc-printed-${idx}"]`);
  await waitText(`[data-test="doc-state-${idx}"]`, (t) => t === '已打印', 'state 已打印');
  log('marked printed');
  shot('documents-printed.png');

  // 恢复内置.
  await s.click('[data-test="nav-settings"]');
  await s.waitCss('[data-test="templates"]', 30000);
  await selectOption('[data-test="template-kind"]', '终结审批表');
  await waitText('[data-test="template-badge"]', (t) => t === '已自定义', 'badge 已自定义');
  await s.click('[data-test="template-reset"]');
  await s.clickXpath("//div[contains(@class,'el-message-box')]//button[normalize-space(.)='恢复内置']");
  await waitText('[data-test="template-badge"]', (t) => t === '内置', 'badge 内置 again');
  const restored = await s.exec(`return document.querySelector(arguments[0]).value;`, [TEXTAREA]);
  assert.equal(restored, builtin);
  log('built-in template restored');
});
