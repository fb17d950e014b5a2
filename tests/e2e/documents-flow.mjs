// GUI end-to-end test of the documents card: the real hearing-desk binary under Xvfb, driven
// through tauri-driver + WebKitWebDriver, with a fresh data directory. Run by tests/e2e/run.sh.
//
// Flow (demo data): open a demo case → generate a 终结审批表 (a kind that needs no hearing) →
// preview shows at least one rendered page image → 定稿 (confirmed) → state 已定稿 and a
// verification code → 已打印 → state 已打印.

import assert from 'node:assert/strict';
import { execSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Session, sleep } from './webdriver.mjs';

const root = resolve(import.meta.dirname, '../..');
const app = resolve(process.env.HEARINGDESK_BIN || join(root, 'target/debug/hearing-desk'));
// Not main-flow's 4444, tauri-driver's default native 4445, nor hearing-flow's 4446/4447.
const port = Number(process.env.TAURI_DRIVER_DOCUMENTS_PORT || 4448);
const nativePort = port + 1;
const shots = process.env.E2E_SHOTS_DIR || join(root, 'target/e2e');
const dataDir = mkdtempSync(join(tmpdir(), 'hearingdesk-e2e-documents-'));

function log(msg) {
  console.log(`[e2e documents] ${msg}`);
}

function shot(name) {
  try {
    execSync(`xwd -root -silent | convert xwd:- ${join(shots, name)}`);
  } catch {
    /* best effort */
  }
}

async function waitForDriver() {
  const end = Date.now() + 30000;
  while (Date.now() < end) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/status`);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await sleep(200);
  }
  throw new Error('tauri-driver did not start');
}

const driver = spawn('tauri-driver', ['--port', String(port), '--native-port', String(nativePort)], {
  env: { ...process.env, HEARINGDESK_DATA_DIR: dataDir },
  stdio: ['ignore', 'inherit', 'inherit'],
});

let session;
let failed = false;
try {
  await waitForDriver();
  session = await Session.create(`http://127.0.0.1:${port}`, {
    alwaysMatch: { 'tauri:options': { application: app } },
  });
  const s = session;
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
  log('PASS');
} catch (e) {
  failed = true;
  console.error(`[e2e documents] FAIL: ${e.stack || e}`);
  shot('documents-failure.png');
  console.error(`[e2e documents] screenshot: ${join(shots, 'documents-failure.png')}`);
} finally {
  if (session) await session.delete().catch(() => {});
  driver.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
