// GUI end-to-end test of 全文检索: the real hearing-desk binary under Xvfb on a desk that
// hearingctl filled beforehand (the demo city, and one demo case taken into a hearing with a few
// testimony entries). Run by `make test` (tests/e2e/run.sh).
//
// Flow: a phrase from the hearing record typed in the header's search box → the search page lists
// the testimony hit, highlighted, with its case number and state → a click opens the hearing's
// record with that entry marked → back, a two-character query narrowed to 案件 lists cases only,
// each with the match marked → a click opens the case → a query that matches nothing says so.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { runApp } from './harness.mjs';

const port = Number(process.env.TAURI_DRIVER_PORT || 4456);
const root = resolve(import.meta.dirname, '../..');
const ctlBin = resolve(process.env.HEARINGCTL_BIN || join(root, 'target/debug/hearingctl'));
/** Words of the record that occur nowhere else in the demo. */
const PHRASE = '收条是在青山大桥茶馆写的';
const QUERY = '青山大桥茶馆';

function day(offset) {
  const d = new Date(Date.now() + 8 * 3600000 + offset * 86400000);
  return d.toISOString().slice(0, 10);
}

/** The demo, and a demo case taken into session with a few entries in its record. */
function prepare(dataDir) {
  const ctl = (...args) =>
    execFileSync(ctlBin, ['--data-dir', dataDir, '--actor', '检索测试', ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  ctl('demo');
  const line = ctl('cases', 'list', '--status', 'proposedClosure')
    .split('\n')
    .find((l) => l.includes('\t'));
  assert.ok(line, 'a demo case ready for a hearing');
  const caseNumber = line.split('\t')[0];
  const created = ctl(
    'hearing', 'create', '--case', caseNumber, '--date', day(0), '--time', '09:30',
    '--venue', '青山市委政法委听证室', '--title', '检索测试听证会',
  );
  const hearing = created.split('听证会编号：')[1]?.split(/\s/)[0];
  assert.ok(hearing, `hearing id in: ${created}`);
  ctl('case', 'action', '--case', caseNumber, '--action', 'scheduleHearing');
  ctl('hearing', 'add', '--hearing', hearing, '--role', 'presider', '--name', '赵明远', '--unit', '青山市委政法委');
  ctl('hearing', 'add', '--hearing', hearing, '--role', 'clerk', '--name', '钱晓雯', '--unit', '青山市委政法委');
  ctl('hearing', 'draw', '--hearing', hearing, '--count', '3', '--seed', '检索', '--kinds', 'partyDelegate,congressDeputy,cppccMember');
  const rows = ctl('hearing', 'show', hearing)
    .split('\n')
    .map((l) => l.split('\t').map((c) => c.trim()));
  const ids = (role) => rows.filter((r) => r[1] === role).map((r) => r[0]);
  const names = (role) => rows.filter((r) => r[1] === role).map((r) => r[2]);
  for (const p of ids('听证员')) {
    ctl('hearing', 'invite', '--participant', p, '--status', 'sent');
    ctl('hearing', 'invite', '--participant', p, '--status', 'accepted');
    ctl('hearing', 'declare', '--participant', p, '--signed');
  }
  ctl('hearing', 'transition', '--hearing', hearing, '--action', 'notify');
  for (const p of ids('信访人')) ctl('hearing', 'notice', '--participant', p, '--date', day(-8), '--method', '直接送达');
  ctl('hearing', 'announce', '--hearing', hearing, '--date', day(-9));
  ctl('hearing', 'transition', '--hearing', hearing, '--action', 'open');
  ctl('hearing', 'step', '--hearing', hearing, '--step', '4');
  const petitioner = names('信访人')[0] || '信访人';
  const say = (role, speaker, text) =>
    ctl('testimony', 'add', '--hearing', hearing, '--step', 'petitionerStatement', '--role', role, '--speaker', speaker, '--text', text);
  say('presider', '赵明远', '请信访人陈述信访诉求及事实和理由。');
  say('petitioner', petitioner, `借款的事我认，${PHRASE}，当时还有两个证人在场。`);
  say('presider', '赵明远', '请信访人说明证人的姓名。');
  return { caseNumber, hearing };
}

let seeded;

await runApp(
  'search',
  port,
  async ({ s, log, shot }) => {
    await s.waitCss('body[data-ready="1"]', 60000);
    await s.waitCss('[data-test="nav-cases"]', 30000);
    log(`app is up on a desk with case ${seeded.caseNumber} in a hearing`);

    // The header's search box: type, Enter.
    await s.type('input[data-test="header-search"]', `${QUERY}\uE007`);
    const hits = await s.waitFor('the testimony hit', async () => {
      const kinds = await s.texts('[data-test="search-hit-kind"]');
      return kinds.length > 0 ? kinds : null;
    });
    assert.deepEqual(hits, ['笔录'], `one record hit: ${hits}`);
    const marked = await s.texts('[data-test="search-hit-snippet"] mark');
    assert.deepEqual(marked, [QUERY]);
    assert.equal((await s.text('[data-test="search-hit-case"]')).trim(), seeded.caseNumber);
    assert.ok((await s.text('[data-test="search-hit-status"]')).trim().length > 0, 'the case state is shown');
    assert.match(await s.text('[data-test="search-total"]'), /共找到 1 条/);
    const url = await s.exec('return location.hash');
    assert.ok(url.startsWith('#/search?q='), url);
    shot('search-testimony.png');
    log('testimony found from the header box');

    // The hit opens the hearing's record with the entry marked.
    await s.click('[data-test="search-hit"]');
    const found = await s.waitFor('the marked entry in the record', async () => {
      const t = await s.text('.rec-entry.found [data-test="record-entry-text"]');
      return t.includes(PHRASE) ? t : null;
    });
    assert.ok(found.includes(PHRASE));
    shot('search-record.png');
    log('click-through to the record');

    // Back to the results; a two-character query, cases only.
    await s.exec('history.back()');
    await s.waitCss('input[data-test="search-input"]');
    await s.type('input[data-test="search-input"]', '借贷');
    await s.click('[data-test="search-submit"]');
    await s.waitFor('results for 借贷', async () =>
      (await s.text('[data-test="search-total"]')).includes('共找到'),
    );
    await s.click('[data-test="search-kind-case"]');
    const caseKinds = await s.waitFor('case hits only', async () => {
      const url = await s.exec('return location.hash');
      if (!url.includes('kinds=case')) return null;
      const kinds = await s.texts('[data-test="search-hit-kind"]');
      return kinds.length > 0 && kinds.every((k) => k === '案件') ? kinds : null;
    });
    log(`借贷: ${caseKinds.length} cases`);
    const titles = await s.texts('[data-test="search-hit-title"]');
    const withMark = await s.exec(
      'return [...document.querySelectorAll(\'[data-test="search-hit"]\')].filter((h) => [...h.querySelectorAll("mark")].some((m) => m.textContent === "借贷")).length',
    );
    assert.equal(withMark, caseKinds.length, 'every hit shows the match');
    const first = titles[0];
    assert.ok(titles.some((t) => t.includes('民间借贷')), titles.join(' / '));
    shot('search-cases.png');

    // A case hit opens the case.
    await s.click('[data-test="search-hit"]');
    await s.waitFor('the case detail', async () =>
      (await s.text('[data-test="case-detail-title"]')).includes(first.replace(/\s/g, '')),
    );
    log('click-through to the case');

    // Nothing found: said in words.
    await s.type('input[data-test="header-search"]', `没有这样的检索词甲乙丙\uE007`);
    const empty = await s.waitFor('the empty state', () => s.text('[data-test="search-empty"]'));
    assert.match(empty, /没有找到包含“没有这样的检索词甲乙丙”的记录/);
    log('empty state shown');
  },
  {
    prepare: (dir) => {
      seeded = prepare(dir);
    },
  },
);
