import { rmSync } from 'node:fs';
import { ENV_DATA, ENV_PID } from './server-env.js';

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

export default async function globalTeardown(): Promise<void> {
  const pid = Number(process.env[ENV_PID]);
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    if (!(await waitForExit(pid, 5000))) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
  const dir = process.env[ENV_DATA];
  if (dir && dir.includes('marquee-e2e-')) rmSync(dir, { recursive: true, force: true });
}
