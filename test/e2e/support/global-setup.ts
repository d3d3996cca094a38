import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { E2E_TOKEN, ENV_BASE, ENV_DATA, ENV_PID } from './server-env.js';
import { freePort } from '../../free-port.js';


/** Starts `marquee serve` on a free loopback port with a fresh (demo-seeded) data dir. */
export default async function globalSetup(): Promise<void> {
  const root = resolve(import.meta.dirname, '../../..');
  const dataDir = mkdtempSync(join(tmpdir(), 'marquee-e2e-'));
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'electron/cli/bin.mjs'), 'serve', '--port', String(port), '--host', '127.0.0.1', '--data', dataDir], {
    cwd: root,
    env: { ...process.env, MARQUEE_API_TOKEN: E2E_TOKEN, MARQUEE_LOG: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`marquee serve exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${base}/api/v1/health`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`marquee serve did not answer on ${base} within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const index = await fetch(`${base}/`);
  if (!index.ok) throw new Error(`${base}/ answered ${index.status}: build the renderer first (npx vite build)`);
  // The server must not keep the runner alive through its pipes.
  child.stdout.destroy();
  child.stderr.destroy();
  child.unref();
  process.env[ENV_BASE] = base;
  process.env[ENV_PID] = String(child.pid);
  process.env[ENV_DATA] = dataDir;
}
