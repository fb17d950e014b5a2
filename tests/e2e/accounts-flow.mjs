// GUI end-to-end test of operator accounts, the lock and backup: the real hearing-desk binary
// under Xvfb with a fresh data directory. Run by tests/e2e/run.sh.
//
// Flow: first run → 设置管理员账户（启用加密） (the database is encrypted; the header shows the
// administrator) → load the demo → 设置 → 操作员账户: add a 记录员 → 锁定 → the login screen (a
// screenshot is kept: target/e2e/accounts-login.png) → a wrong password is refused with the
// tries left → the 记录员 logs in: on a case no edit, approval or document button, the ID number
// masked without 显示 → 锁定, the administrator logs in: 显示 reveals the full ID number → 设置 →
// 备份与恢复: a backup to a temporary path completes (file written, progress then 备份完成) → left
// idle past HEARINGDESK_IDLE_LOCK_SECS the desk locks itself and says why.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runApp } from './harness.mjs';
import { sleep } from './webdriver.mjs';

const port = Number(process.env.TAURI_DRIVER_ACCOUNTS_PORT || 4454);
// Short enough to see the idle lock at the end, long enough for every step before it.
const idleSecs = Number(process.env.E2E_IDLE_LOCK_SECS || 45);
process.env.HEARINGDESK_IDLE_LOCK_SECS = String(idleSecs);

const backupDir = mkdtempSync(join(tmpdir(), 'hearingdesk-e2e-backup-'));
process.on('exit', () => rmSync(backupDir, { recursive: true, force: true }));
const backupFile = join(backupDir, '听证工作台备份-e2e.hdbak');

const ADMIN = { login: 'wangli', name: '王丽', password: 'Admin2026x' };
const CLERK = { login: 'lijilu', name: '李记录', password: 'Clerk2026x' };

await runApp('accounts', port, async ({ s, log, shot }) => {
  const visible = async (css) => {
    const els = await s.findAll(css);
    for (const e of els) if (await s.cmd('GET', `/element/${e}/displayed`)) return true;
    return false;
  };
  const login = async (who, password = who.password) => {
    await s.type('[data-test="login-user"] input', who.login);
    await s.type('[data-test="login-password"] input', password);
    await s.click('[data-test="login-submit"]');
  };
  const lock = async () => {
    await s.click('[data-test="header-lock"]');
    await s.waitCss('[data-test="login"]', 20000);
  };

  await s.waitCss('body[data-ready="1"]', 60000);
  log('app is up');

  // First run: the administrator, which encrypts the (still empty) database.
  await s.click('[data-test="first-run-setup"]');
  const warning = await s.text('[data-test="account-setup"]');
  assert.match(warning, /忘记密码/);
  assert.match(warning, /加密/);
  await s.type('[data-test="setup-login"] input', ADMIN.login);
  await s.type('[data-test="setup-name"] input', ADMIN.name);
  await s.type('[data-test="setup-password"] input', ADMIN.password);
  await s.type('[data-test="setup-password-again"] input', ADMIN.password);
  await s.click('[data-test="setup-submit"]');
  await s.waitCss('[data-test="first-run-accounts-done"]', 60000);
  log('administrator set up, database encrypted');

  await s.click('[data-test="first-run-demo"]');
  await s.waitCss('[data-test="nav-cases"]', 60000);
  assert.equal((await s.text('[data-test="header-operator-name"]')).trim(), ADMIN.name);
  assert.equal((await s.text('[data-test="header-operator-role"]')).trim(), '管理员');
  log('demo loaded; header shows the administrator');

  // 设置 → 操作员账户: a 记录员.
  await s.click('[data-test="nav-settings"]');
  await s.waitCss('[data-test="operators-card"] [data-test="operator-new-login"]');
  await s.type('[data-test="operator-new-login"] input', CLERK.login);
  await s.type('[data-test="operator-new-name"] input', CLERK.name);
  await s.choose('[data-test="operator-new-role"]', null, '记录员');
  await s.type('[data-test="operator-new-password"] input', CLERK.password);
  await s.type('[data-test="operator-new-again"] input', CLERK.password);
  await s.click('[data-test="operator-add"]');
  await s.waitFor('the clerk in the operator list', async () =>
    (await s.texts('[data-test="operator-login"]')).includes(CLERK.login),
  60000);
  log('记录员 added');

  // Lock: the login screen, which must explain itself.
  await lock();
  const page = await s.text('[data-test="login"]');
  for (const words of ['登录听证工作台', '用户名', '密码', '忘记密码', '本机数据文件夹']) {
    assert.ok(page.includes(words), `login screen says ${words}`);
  }
  assert.match(page, /已锁定/);
  assert.ok((await s.text('[data-test="login-data-dir"]')).trim().length > 0);
  shot('accounts-login.png');
  log('locked; login screen shown');

  // A wrong password: refused, with the tries left.
  await login(ADMIN, 'Wrong2026x');
  const refused = await s.waitFor('the wrong-password message', async () => {
    const t = await s.text('[data-test="login-error"]');
    return t.includes('不正确') ? t : null;
  }, 60000);
  assert.match(refused, /还可再试 4 次/);
  log(`wrong password refused: ${refused.replace(/\s+/g, ' ')}`);

  // The clerk: no edit, approval or document button on a case; the ID number masked.
  await login(CLERK);
  await s.waitCss('[data-test="nav-cases"]', 60000);
  assert.equal((await s.text('[data-test="header-operator-role"]')).trim(), '记录员');
  await s.click('[data-test="nav-cases"]');
  assert.equal(await visible('[data-test="case-new"]'), false, 'no 登记案件 for a clerk');
  // The first case of the list (a person petitioner with an ID number in the demo).
  await s.clickXpath("//*[@data-test='case-row-number']");
  await s.waitCss('[data-test="case-detail-title"]');
  await s.waitCss('[data-test="case-flow"]');
  for (const test of ['case-edit', 'analysis-save', 'approval-save', 'hearing-plan-open', 'doc-generate', 'petitioner-reveal-0']) {
    assert.equal(await visible(`[data-test="${test}"]`), false, `${test} hidden for a clerk`);
  }
  assert.equal((await s.findAll('[data-test^="case-action-"]')).length, 0, 'no case steps for a clerk');
  const masked = await s.text('[data-test="petitioner-id-0"]');
  assert.match(masked, /\*{4}/);
  shot('accounts-clerk-case.png');
  log(`clerk sees no approval or edit buttons; ID shown as ${masked}`);

  // The administrator again: 显示 reveals the number (audited in the store).
  await lock();
  await login(ADMIN);
  await s.waitCss('[data-test="header-operator"]', 60000);
  await s.waitCss('[data-test="case-detail-title"]');
  await s.click('[data-test="petitioner-reveal-0"]');
  const full = await s.waitFor('the full ID number', async () => {
    const t = (await s.text('[data-test="petitioner-id-0"]')).trim();
    return t.includes('*') ? null : t;
  });
  assert.match(full, /^\d{17}[\dX]$/);
  log('administrator revealed the full ID number');

  // 设置 → 备份与恢复.
  await s.click('[data-test="nav-settings"]');
  await s.waitCss('[data-test="backup-card"] [data-test="backup-run"]');
  await s.type('[data-test="backup-path"] input', backupFile);
  await s.click('[data-test="backup-run"]');
  const done = await s.waitFor('备份完成', async () => {
    const t = await s.text('[data-test="backup-done"]');
    return t.includes('备份完成') ? t : null;
  }, 120000);
  assert.ok(done.includes(backupFile), done);
  assert.ok(existsSync(backupFile), 'the backup file exists');
  assert.equal(readFileSync(backupFile).subarray(0, 10).toString('latin1'), 'HDBACKUP1\n');
  shot('accounts-backup.png');
  log(`backup written: ${done.replace(/\s+/g, ' ')}`);

  // Left alone, the desk locks itself and says why.
  log(`waiting ${idleSecs} s for the idle lock`);
  await sleep(idleSecs * 1000);
  const reason = await s.waitFor('the idle lock', async () => {
    const t = await s.text('[data-test="login-reason"]');
    return t.includes('长时间未操作') ? t : null;
  }, 30000);
  log(`idle lock: ${reason.trim()}`);
});
