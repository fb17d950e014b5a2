// GUI end-to-end test of 设置 → 文书字体: the real hearing-desk binary under Xvfb, driven through
// tauri-driver + WebKitWebDriver, with a fresh data directory. Run by tests/e2e/run.sh.
//
// Flow: the table shows the shipped Fandol 仿宋 setting the body → choose an installed face for the
// title (Noto Sans CJK SC standing in for a licensed 方正小标宋) → saved, the title row now starts
// with it, tagged 已指定 → the sample page renders → 恢复默认 puts the default title face back.

import assert from 'node:assert/strict';
import { runApp } from './harness.mjs';

const port = Number(process.env.TAURI_DRIVER_FONTS_PORT || 4450);

await runApp('fonts', port, async ({ s, log, shot }) => {
  /** The first face of a role's row and its tag, e.g. ["FandolFang-Regular", "随软件提供"]. */
  const primary = (role) =>
    s.exec(
      `const rows = [...document.querySelectorAll('[data-test="fonts-table"] .el-table__body tr')];
       const row = rows.find((r) => r.textContent.includes(arguments[0]));
       const line = row && row.querySelector('.face-line');
       return line ? [line.querySelector('span').textContent.trim(), line.querySelector('.el-tag').textContent.trim()] : null;`,
      [role],
    );

  await s.waitCss('body[data-ready="1"]', 60000);
  await s.click('[data-test="first-run-demo"]');
  await s.waitCss('[data-test="nav-settings"]', 30000);
  await s.click('[data-test="nav-settings"]');
  await s.waitCss('[data-test="fonts-table"]', 30000);

  const body = await s.waitFor('the body row', () => primary('正文'));
  assert.deepEqual(body, ['FandolFang-Regular', '随软件提供'], 'body set in the shipped Fandol 仿宋');
  const title = await primary('标题（小标宋）');
  assert.ok(title && title[0].startsWith('NotoSerifCJK'), `default title face: ${title}`);
  log(`defaults: body ${body[0]}, title ${title[0]}`);

  // Options show the family and, greyed, the file: match the family span.
  await s.choose(
    '[data-test="font-choice-title"]',
    "//li[contains(@class,'el-select-dropdown__item')][span[1][normalize-space(.)='Noto Sans CJK SC Regular']]",
    'Noto Sans CJK SC Regular',
  );
  await s.click('[data-test="fonts-save"]');
  const chosen = await s.waitFor('the chosen title face', async () => {
    const p = await primary('标题（小标宋）');
    return p && p[1] === '已指定' ? p : null;
  });
  assert.equal(chosen[0], 'NotoSansCJK-Regular');
  log('title face chosen and saved');

  await s.click('[data-test="fonts-sample"]');
  const pages = await s.waitFor(
    'the sample page',
    () =>
      s.exec(`const imgs = [...document.querySelectorAll('[data-test="fonts-sample-pages"] img')];
        return imgs.length && imgs.every((i) => i.complete && i.naturalWidth > 0) ? imgs.length : 0;`),
    60000,
  );
  assert.ok(pages >= 1);
  shot('fonts-settings.png');
  log(`sample page rendered (${pages})`);

  await s.click('[data-test="fonts-reset"]');
  await s.waitFor('the default title face back', async () => {
    const p = await primary('标题（小标宋）');
    return p && p[0].startsWith('NotoSerifCJK') && p[1] !== '已指定' ? p : null;
  });
  log('defaults restored');
});
