// What every GUI end-to-end test shares: a fresh data directory, its own tauri-driver on its own
// ports, a WebDriver session on the real hearing-desk binary, a screenshot of the whole virtual
// screen on failure, and clean-up. The test body gets the session and two small helpers.

import { execSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Session, sleep } from './webdriver.mjs';

const root = resolve(import.meta.dirname, '../..');
const app = resolve(process.env.HEARINGDESK_BIN || join(root, 'target/debug/hearing-desk'));
export const shots = process.env.E2E_SHOTS_DIR || join(root, 'target/e2e');

async function waitForDriver(port) {
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

/**
 * Runs `body({ s, log, shot, dataDir })` against a fresh app and exits the process with its
 * outcome. `port` is tauri-driver's port, `port + 1` its WebKitWebDriver port, so tests never
 * collide. `prepare(dataDir)`, if given, fills the data directory before the app starts.
 */
export async function runApp(name, port, body, { prepare } = {}) {
  const tag = name ? `[e2e ${name}]` : '[e2e]';
  const log = (msg) => console.log(`${tag} ${msg}`);
  const shot = (file) => {
    try {
      execSync(`xwd -root -silent | convert xwd:- ${join(shots, file)}`);
      return join(shots, file);
    } catch {
      return null; // best effort
    }
  };
  const dataDir = mkdtempSync(join(tmpdir(), `hearingdesk-e2e-${name || 'main'}-`));
  const driver = spawn('tauri-driver', ['--port', String(port), '--native-port', String(port + 1)], {
    env: { ...process.env, HEARINGDESK_DATA_DIR: dataDir },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let session;
  let failed = false;
  try {
    await waitForDriver(port);
    if (prepare) await prepare(dataDir);
    session = await Session.create(`http://127.0.0.1:${port}`, {
      alwaysMatch: { 'tauri:options': { application: app } },
    });
    // The main window starts hidden and is shown once its page has loaded (src-tauri/src/lib.rs,
    // `on_page_load`); a fallback shows it 3 s after start. Soon after the page is complete the
    // page must be visible — unless the session took longer than the fallback to come up.
    await session.waitFor(
      'the page loaded',
      async () => (await session.exec('return document.readyState')) === 'complete',
    );
    await session.waitFor(
      'the window shown once its page has loaded',
      async () => (await session.exec('return document.visibilityState')) === 'visible',
      1500,
    );
    await body({ s: session, log, shot, dataDir });
    log('PASS');
  } catch (e) {
    failed = true;
    console.error(`${tag} FAIL: ${e.stack || e}`);
    const file = shot(`${name || 'main'}-failure.png`);
    if (file) console.error(`${tag} screenshot: ${file}`);
  } finally {
    if (session) await session.delete().catch(() => {});
    driver.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}
