import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../electron/cli/bin.mjs', import.meta.url));
const data = mkdtempSync(join(tmpdir(), 'marquee-first-run-'));
afterAll(() => rmSync(data, { recursive: true, force: true }));

/** Starts `marquee serve` on a free port and collects stdout until the sign-in link appears. */
async function serve(): Promise<{ out: string; base: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', data], { env: { ...process.env, MARQUEE_LOG: '0', MARQUEE_API_TOKEN: 'first-run-test-token' } });
  let out = '';
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no link in: ${out}`)), 60_000);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\/login\?code=/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  const stop = () => new Promise<void>((r) => (child.once('exit', () => r()), child.kill('SIGTERM')));
  return { out, base, stop };
}

describe('first run of marquee serve', () => {
  it('creates the admin, shows its one-time password once, adds one demo user per role, and the server token is the admin’s', async () => {
    const first = await serve();
    let password: string;
    try {
      const m = /First run: admin account "(\w+)", one-time password (\S+)/.exec(first.out);
      expect(m).not.toBeNull();
      password = m![2]!;
      expect(first.out).toMatch(/Demo staff: olivia \(organizer, .*carl \(clerk, .*PIN 2468.*sam \(seller, /);
      const signIn = await fetch(`${first.base}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: m![1], password }) });
      expect(signIn.status).toBe(200);
      const users = (await (await fetch(`${first.base}/api/v1/users`, { headers: { authorization: 'Bearer first-run-test-token' } })).json()) as { items: { role: string }[] };
      expect(users.items.map((u) => u.role).sort()).toEqual(['admin', 'clerk', 'organizer', 'seller']);
      const tokens = (await (await fetch(`${first.base}/api/v1/tokens`, { headers: { authorization: 'Bearer first-run-test-token' } })).json()) as { items: { prefix: string }[] };
      expect(tokens.items.map((t) => t.prefix)).toEqual(['first-run']);
    } finally {
      await first.stop();
    }
    // A second start shows no password: only its hash was kept.
    const second = await serve();
    try {
      expect(second.out).not.toContain('First run');
      expect(second.out).not.toContain(password);
    } finally {
      await second.stop();
    }
  }, 120_000);
});
