// GUI end-to-end test of the documents card: the real hearing-desk binary under Xvfb, driven
// through tauri-driver + WebKitWebDriver, with a fresh data directory. Run by tests/e2e/run.sh.
//
// Flow (demo data): open a demo case → generate a 终结审批表 (a kind that needs no hearing) →
// preview shows at least one rendered page image → 定稿 (confirmed) → state 已定稿 and a
// verification code → 已打印 → state 已打印.

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
});
