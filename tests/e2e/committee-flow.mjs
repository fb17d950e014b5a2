// GUI end-to-end test of the committee's own work on the demo city's desk (市委政法委): a 会商研判
// over three county cases and a quarterly 通报. Run by tests/e2e/run.sh.
//
// Flow: the demo loaded (hearingctl, before the app starts) → 会商研判 → 新建会议 → three cases of
// three counties put on the agenda by their numbers → the last moved up with the keyboard's ↑
// button → the first concluded 组织听证 with a 交办单 to its county in the same step (the slip
// read back with hearingctl) → the minutes previewed (pages shown) and printed (the PDF written
// to exports/ and read back with pdftotext) → 通报: this quarter previewed, one county's row
// checked against `hearingctl stats` for that county (the 统计 code), issued numbered, its
// Excel exported. Screenshots: target/e2e/meeting.png, minutes.png, bulletin.png
// (`E2E_COMMITTEE_SHOTS` copies them elsewhere, e.g. docs/).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runApp, shots } from './harness.mjs';
import { ctl } from './server.mjs';
import { sleep } from './webdriver.mjs';

const port = Number(process.env.TAURI_DRIVER_COMMITTEE_PORT || 4466);
/** A date in China (UTC+8) `offset` days from today, as YYYY-MM-DD. */
const chinaDate = (offset) => new Date(Date.now() + 8 * 3600e3 + offset * 86400e3).toISOString().slice(0, 10);

let numbers = [];
await runApp(
  'committee',
  port,
  async ({ s, log, shot, dataDir }) => {
    await s.waitCss('body[data-ready="1"]', 60000);
    await s.click('[data-test="nav-meetings"]');
    await s.click('[data-test="meeting-new"]');
    await s.type('[data-test="meeting-place"] input, input[data-test="meeting-place"]', '市委政法委三楼会议室');
    await s.type('[data-test="meeting-chair"] input, input[data-test="meeting-chair"]', '王明');
    await s.type('[data-test="meeting-recorder"] input, input[data-test="meeting-recorder"]', '赵丽');
    await s.click('[data-test="meeting-add-attendee"]');
    await s.type('[data-test="meeting-attendee"] input', '刘洋');
    await s.click('[data-test="meeting-create"]');
    await s.waitCss('[data-test="meeting-agenda"]', 20000);
    log('meeting created');

    for (const n of numbers) {
      await s.type('[data-test="agenda-case-number"] input, input[data-test="agenda-case-number"]', n);
      await s.click('[data-test="agenda-add"]');
      await s.waitFor(`case ${n} on the agenda`, async () => {
        const on = await s.exec(
          'return [...document.querySelectorAll(\'[data-test="agenda-item"]\')].map((e) => e.dataset.case)',
        );
        return on.includes(n);
      });
    }
    const order = () =>
      s.exec('return [...document.querySelectorAll(\'[data-test="agenda-item"]\')].map((e) => e.dataset.case)');
    assert.deepEqual(await order(), numbers);
    // The third moves up one with its ↑ button.
    await s.exec('document.querySelectorAll(\'[data-test="agenda-up"]\')[2].click()');
    await s.waitFor('the agenda reordered', async () => (await order()).join() === [numbers[0], numbers[2], numbers[1]].join());
    log('three county cases on the agenda, reordered');

    // The first: 组织听证, with a 交办单 to its county.
    await s.exec('document.querySelectorAll(\'[data-test="agenda-conclude"]\')[0].click()');
    await s.waitCss('[data-test="conclude-discussion"] textarea, textarea[data-test="conclude-discussion"]');
    await s.type('[data-test="conclude-discussion"] textarea, textarea[data-test="conclude-discussion"]', '承办单位汇报了化解进展，信访人坚持再审诉求。');
    await s.click('[data-test="conclusion-hearing"]');
    await s.type('[data-test="conclude-text"] textarea, textarea[data-test="conclude-text"]', '由东河区委政法委组织公开听证');
    await s.choose(
      '[data-test="conclude-org"]',
      "//li[contains(@class,'el-select-dropdown__item')][contains(., '东河区委政法委')]",
      '东河区委政法委',
    );
    const due = chinaDate(14);
    await s.type('[data-test="conclude-deadline"] input', due);
    await s.cmd('POST', `/element/${await s.waitCss('[data-test="conclude-deadline"] input')}/value`, { text: '\uE007' });
    // Naming the responsible org ticks 同时发交办单 by itself.
    assert.equal(await s.exec('return document.querySelector(\'[data-test="conclude-slip"] input\')?.checked ?? document.querySelector(\'[data-test="conclude-slip"]\').classList.contains("is-checked")'), true);
    await s.click('[data-test="conclude-save"]');
    const slipTag = await s.waitFor('the slip on the agenda', async () => {
      const t = await s.texts('[data-test="agenda-slip"]');
      return t.length === 1 ? t[0] : null;
    });
    assert.match(slipTag, /青政法交办〔\d{4}〕\d+号/);
    const slips = ctl(dataDir, 'slip', 'list', '--case', numbers[0]);
    assert.match(slips, /交办单/);
    assert.ok(slips.includes(slipTag.replace(/^交办单\s*/, '').trim()), `${slipTag} in ${slips}`);
    assert.match(slips, /东河区委政法委员会/);
    log(`concluded with ${slipTag}`);
    await sleep(3500); // the dialog closed and the messages gone
    shot('meeting.png');

    // The minutes: previewed, then printed to a PDF read back.
    await s.click('[data-test="minutes-preview"]');
    await s.waitFor('the minutes pages', async () => (await s.findAll('[data-test="minutes-preview-page"]')).length > 0, 30000);
    shot('minutes.png');
    await s.click('[data-test="minutes-preview-print"]');
    const exports = join(dataDir, 'exports');
    const pdf = await s.waitFor('the minutes PDF', async () => {
      if (!existsSync(exports)) return null;
      const f = readdirSync(exports).find((n) => n.startsWith('会商研判纪要') && n.endsWith('.pdf'));
      return f ? join(exports, f) : null;
    });
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const part of ['会商研判纪要', '研判意见：组织听证', '出席：王明', '记录：赵丽']) {
      assert.ok(text.includes(part), `${part} not in the minutes:\n${text}`);
    }
    log('minutes previewed and printed');
    await s.exec('document.querySelector(\'[data-test="minutes-preview-dialog"] .el-dialog__headerbtn\')?.click()');

    // 通报 for this quarter.
    await s.click('[data-test="nav-bulletins"]');
    await s.click('[data-test="bulletin-kind-quarter"]');
    const period = (await s.text('[data-test="bulletin-period-key"]')).trim();
    assert.match(period, /^\d{4}Q[1-4]$/);
    await s.click('[data-test="bulletin-preview"]');
    await s.waitCss('[data-test="bulletin-counties"]', 30000);
    const y = Number(period.slice(0, 4));
    const q = Number(period.slice(5));
    const from = `${y}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01`;
    const to = new Date(Date.UTC(y, q * 3, 0)).toISOString().slice(0, 10);
    const stats = JSON.parse(ctl(dataDir, 'stats', '--org', 'DHQ', '--from', from, '--to', to, '--scope', 'all', '--json'));
    const row = await s.exec(
      `const r = [...document.querySelectorAll('[data-test="bulletin-counties"] tr')].find((tr) => tr.querySelector('[data-test="unit-东河区委政法委"]'));
       return r ? ['received', 'closed', 'rate'].map((k) => r.querySelector('[data-test="cell-' + k + '"]').textContent.trim()) : null;`,
    );
    assert.ok(row, 'the 东河区 row');
    assert.equal(Number(row[0]), stats.summary.cases, `收案 ${row} vs ${JSON.stringify(stats.summary)}`);
    assert.equal(Number(row[1]), stats.summary.closed);
    assert.equal(row[2], stats.summary.closureRate === null ? '无' : `${stats.summary.closureRate}%`);
    log(`通报 ${period}: 东河区 ${row.join(' / ')} as 统计 counts it`);
    await s.type('[data-test="bulletin-issued-by"] input, input[data-test="bulletin-issued-by"]', '王明');
    await s.click('[data-test="bulletin-issue"]');
    // Its number is final: the page asks first.
    await s.click('.el-message-box__btns .el-button--primary');
    const issued = await s.waitFor('the issued 通报 listed', async () => {
      const t = await s.exec('return document.querySelector(\'[data-test="bulletin-issued"]\')?.textContent ?? ""');
      return t.match(/青政法通〔\d{4}〕\d+号/)?.[0] ?? null;
    });
    await s.exec('document.querySelector(\'[data-test="bulletin-figures"]\')?.scrollIntoView()');
    await sleep(3500);
    shot('bulletin.png');
    log(`通报 ${issued} issued`);

    // Idle, the desk (not enrolled) uses next to no CPU: its sync worker once looked again at
    // once, forever, after its first due time passed on a desk that is not enrolled.
    const pid = readdirSync('/proc').find((p) => {
      try {
        return /^\d+$/.test(p) && readFileSync(`/proc/${p}/environ`, 'utf8').includes(`HEARINGDESK_DATA_DIR=${dataDir}`) && readFileSync(`/proc/${p}/comm`, 'utf8').startsWith('hearing-desk');
      } catch {
        return false;
      }
    });
    assert.ok(pid, 'the app process');
    const cpu = () => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).reduce((a, b) => a + Number(b), 0);
    const before = cpu();
    await sleep(5000);
    const ticks = cpu() - before;
    log(`idle for 5 s: ${ticks} CPU ticks`);
    assert.ok(ticks < 150, `the idle app used ${ticks} ticks of CPU in 5 s`);

    const copyTo = process.env.E2E_COMMITTEE_SHOTS;
    if (copyTo) for (const f of ['meeting.png', 'minutes.png', 'bulletin.png']) copyFileSync(join(shots, f), join(copyTo, f));
  },
  {
    prepare: async (dataDir) => {
      ctl(dataDir, 'demo');
      // One active case of each of three counties (the list: number, state, …).
      const closed = ['已终结', '已送达', '已备案', '已化解', '导入法律程序', '撤回'];
      const list = ctl(dataDir, 'cases', 'list')
        .split('\n')
        .filter((l) => l.includes('\t'))
        .map((l) => l.split('\t').map((c) => c.trim()))
        .filter(([, state]) => !closed.includes(state))
        .map(([n]) => n);
      numbers = ['DHQ', 'XLX', 'BYQ'].map((c) => list.find((n) => n.startsWith(`${c}-`)));
      assert.ok(numbers.every(Boolean), `three county cases: ${numbers}`);
    },
  },
);
