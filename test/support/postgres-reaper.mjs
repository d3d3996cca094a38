// Watches a test process that runs a throwaway PostgreSQL server (postgres-server.ts). When that
// process dies without cleaning up — SIGKILL, a worker torn down on a timeout, a crash — this kills
// the postmaster it left behind and removes its temp dir. Plain JS run by node directly: it must not
// depend on the test process's loaders. Exits on its own once the temp dir is gone (destroy()).
// Usage: node postgres-reaper.mjs <watched pid> <temp dir> <data dir>
import { existsSync, readFileSync, rmSync } from 'node:fs';

const [watched, dir, dataDir] = [Number(process.argv[2]), process.argv[3], process.argv[4]];
if (!Number.isInteger(watched) || !dir || !dataDir) process.exit(2);

const alive = (pid) => {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if (err.code !== 'EPERM') return false;
  }
  try {
    // A zombie (exited, not yet reaped by its new parent) answers signal 0 but is gone.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return !existsSync('/proc');
  }
};

/** The postmaster's pid from its lock file, only if that pid is still this data dir's postmaster. */
function postmaster() {
  try {
    const pid = Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return null;
    if (existsSync('/proc')) {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes(dataDir)) return null; // the pid was reused by something else
    }
    return pid;
  } catch {
    return null;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

for (;;) {
  if (!existsSync(dir)) process.exit(0);
  if (!alive(watched)) break;
  await sleep(500);
}

const pid = postmaster();
if (pid !== null) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone already */
  }
  // Its backends notice the postmaster's death and exit; give them a moment before removing their files.
  for (let i = 0; i < 40 && alive(pid); i++) await sleep(100);
  await sleep(500);
}
rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
