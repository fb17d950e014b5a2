// What the GUI flows that sync share: a real hearing-server on loopback with its admin commands,
// and hearingctl for the other desks.

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(import.meta.dirname, '../..');
const serverBin = resolve(process.env.HEARING_SERVER_BIN || join(root, 'target/debug/hearing-server'));
const ctlBin = resolve(process.env.HEARINGCTL_BIN || join(root, 'target/debug/hearingctl'));

/** `hearingctl --data-dir DIR ARGS…`, its stdout; throws with stdout and stderr on failure. */
export const ctl = (dir, ...args) =>
  execFileSync(ctlBin, ['--data-dir', dir, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/**
 * A work directory `hearingdesk-e2e-<name>-…` (removed at exit) and the server's data in it:
 * `admin(...args)` runs an admin command; `start()` serves on 127.0.0.1 and resolves to its base
 * URL (the server is stopped at exit).
 */
export function serverWork(name) {
  const work = mkdtempSync(join(tmpdir(), `hearingdesk-e2e-${name}-`));
  const data = join(work, 'server');
  let server = null;
  process.on('exit', () => {
    server?.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  });
  const admin = (...args) =>
    execFileSync(serverBin, ['--data', data, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  // `serve` prints one line ending with its base URL (the real port for :0).
  const start = () => {
    server = spawn(serverBin, ['--data', data, 'serve', '--listen', '127.0.0.1:0'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error('hearing-server did not start')), 20000);
      createInterface({ input: server.stdout }).once('line', (line) => {
        clearTimeout(timer);
        const url = line.trim().split(/\s+/).pop();
        if (url && url.startsWith('http')) ok(url);
        else fail(new Error(`hearing-server: ${line}`));
      });
      server.once('exit', (c) => fail(new Error(`hearing-server exited (${c})`)));
    });
  };
  return { work, admin, start };
}
