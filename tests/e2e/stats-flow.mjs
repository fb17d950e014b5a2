// GUI end-to-end test of 统计 and 预警 on the demo city (31 cases: 16 active; 撤回 2, 已终结 3).
//
// Flow: first run → demo → the 工作台's 预警 lists overdue warnings first, and its first warning
// opens its case → 统计: the 在办 figures (16 cases, 登记 3 in the state chart), then 全部 (31;
// 撤回 2, 已终结 3 in the chart's data and its table) → the state table exported as CSV and the
// chart as PNG into the data folder's exports/ (files read back) → a screenshot of the view
// (target/e2e/stats.png; `E2E_STATS_SHOT` copies it elsewhere, e.g. docs/stats.png).

import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runApp, shots } from './harness.mjs';
import { sleep } from './webdriver.mjs';

const port = Number(process.env.TAURI_DRIVER_PORT || 4458);

await runApp('stats', port, async ({ s, log, shot }) => {
  await s.waitCss('body[data-ready="1"]', 60000);
  await s.click('[data-test="first-run-demo"]');
  await s.waitCss('[data-test="nav-stats"]', 30000);
  log('demo loaded');

  // 工作台: warnings, overdue first, each linking to its case.
  await s.click('[data-test="nav-dashboard"]');
  const rows = await s.waitFor('the warnings', async () => {
    const t = await s.texts('[data-test="warning-row"]');
    return t.length > 0 ? t : null;
  });
  log(`${rows.length} warnings shown, first: ${rows[0].replace(/\s+/g, ' ')}`);
  assert.match(rows[0], /逾期/);
  const message = await s.exec('return document.querySelector(".warning-message")?.textContent ?? ""');
  assert.match(message, /办理期限 60 日：.*已逾期 \d+ 日/, message);
  shot('dashboard-warnings.png');
  const overdue = await s.text('[data-test="warnings-overdue"]');
  assert.match(overdue, /逾期 \d+/);
  const number = (await s.text('[data-test="warning-case-link"]')).trim();
  await s.click('[data-test="warning-case-link"]');
  await s.waitFor(`case ${number} opened from its warning`, async () =>
    (await s.text('[data-test="case-detail-number"]')).trim() === number,
  );
  log(`warning opened case ${number}`);

  // 统计, 在办 (the default): 16 cases; the state chart carries its numbers.
  await s.click('[data-test="nav-stats"]');
  const aria = (css) =>
    s.exec('const e = document.querySelector(arguments[0]); return e ? e.getAttribute("aria-label") || "" : "";', [css]);
  await s.waitFor('16 active cases', async () => (await s.text('[data-test="stats-summary-cases"] .stat-value')).trim() === '16');
  const active = await s.waitFor('the state chart', async () => {
    const a = await aria('[data-test="stat-chart-byStatus"]');
    return a.startsWith('按办理状态') ? a : null;
  });
  log(`state chart (在办): ${active}`);
  assert.ok(active.includes('登记 3，'), active);
  assert.ok(!active.includes('撤回'), 'closed states are not in the active counts');
  const canvas = await s.exec(
    'const c = document.querySelector(\'[data-test="stat-chart-byStatus"] canvas\'); return c ? [c.width, c.height] : null;',
  );
  assert.ok(canvas && canvas[0] > 100 && canvas[1] > 100, `a drawn canvas: ${canvas}`);

  // 全部: 31 cases; 撤回 2 and 已终结 3 in the chart and in its table.
  await s.click('[data-test="stats-scope-all"]');
  await s.waitFor('31 cases', async () => (await s.text('[data-test="stats-summary-cases"] .stat-value')).trim() === '31');
  const all = await s.waitFor('the state chart (全部)', async () => {
    const a = await aria('[data-test="stat-chart-byStatus"]');
    return a.includes('撤回 2') ? a : null;
  });
  assert.ok(all.includes('已终结 3，'), all);
  await s.click('[data-test="stat-toggle-byStatus"]');
  const table = await s.waitFor('the state table', async () => {
    const rows = await s.exec(
      'return [...document.querySelectorAll(\'[data-test="stat-table-byStatus"] .el-table__body tr\')].map((r) => [...r.querySelectorAll("td")].map((c) => c.textContent.trim()).join(" ")).join("\\n")',
    );
    return rows.includes('撤回') ? rows : null;
  });
  assert.match(table, /撤回\s+2/);
  assert.match(table, /已终结\s+3/);
  log('全部: 31 cases, 撤回 2, 已终结 3 in chart and table');

  // Exports: the table as CSV and the chart as PNG, read back from the paths the app names.
  const savedPath = async (css) => {
    const before = (await s.texts('.el-message')).length;
    await s.click(css);
    const msg = await s.waitFor(`the saved message after ${css}`, async () => {
      const t = await s.texts('.el-message');
      return t.length > before ? t[t.length - 1] : null;
    });
    const m = msg.match(/已保存到 (\S+)/);
    assert.ok(m, msg);
    return m[1];
  };
  const csvPath = await savedPath('[data-test="stat-csv-byStatus"]');
  const csv = readFileSync(csvPath);
  assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  assert.match(csv.toString('utf8'), /撤回,2\r\n/);
  const pngPath = await savedPath('[data-test="stat-png-byStatus"]');
  assert.deepEqual([...readFileSync(pngPath).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'a PNG');
  log(`exported ${csvPath} and ${pngPath}`);

  // The screenshot for the README: 全部, the top of the view.
  await s.click('[data-test="stat-toggle-byStatus"]');
  await s.exec('document.querySelectorAll(".el-message").forEach((m) => m.remove()); window.scrollTo(0, 0); document.querySelector(".shell-main")?.scrollTo(0, 0);');
  await sleep(800);
  const file = shot('stats.png');
  if (file && process.env.E2E_STATS_SHOT) copyFileSync(join(shots, 'stats.png'), process.env.E2E_STATS_SHOT);
  log(`screenshot ${file}`);
});
