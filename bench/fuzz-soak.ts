/**
 * The fuzz soak (issue 14): the same properties `npm test` runs (test/proof/fuzz-http.test.ts and
 * fuzz-ipc.test.ts: every operation, schema-shaped and hostile inputs, a database journal checked
 * after each refused call), scaled up by FUZZ_RUNS. A failure prints fast-check's seed and the
 * shrunk case; FUZZ_SEED=… replays it. Bounded in time like every phase.
 * Runs alone with `node --import tsx bench/fuzz-soak.ts`, or as a phase of `npm run bench`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FILES = ['test/proof/fuzz-http.test.ts', 'test/proof/fuzz-ipc.test.ts'];

export interface FuzzSoakOptions {
  log?: (s: string) => void;
  /** Multiplies every property's case count (npm test runs 1). */
  scale?: number;
  timeoutSeconds?: number;
}

export interface FuzzSoakResult {
  scale: number;
  passed: number;
  failed: number;
  seconds: number;
  exitCode: number | null;
  failures: string;
  markdown: string;
}

export async function benchFuzzSoak(o: FuzzSoakOptions = {}): Promise<FuzzSoakResult> {
  const log = o.log ?? ((s: string) => process.stderr.write(`[fuzz-soak] ${s}\n`));
  const scale = o.scale ?? Number(process.env.BENCH_FUZZ_SCALE ?? 10);
  const timeoutSeconds = o.timeoutSeconds ?? Number(process.env.BENCH_FUZZ_TIMEOUT_S ?? 900);
  log(`vitest ${FILES.join(' ')} with FUZZ_RUNS=${scale}`);
  const started = performance.now();
  const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--project', 'sqlite', ...FILES], {
    cwd: ROOT,
    env: { ...process.env, FUZZ_RUNS: String(scale), CI: 'true', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutSeconds * 1000);
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  clearTimeout(killer);
  const seconds = (performance.now() - started) / 1000;
  const tests = /Tests\s+(?:(\d+) failed\s*\|\s*)?(\d+) passed/.exec(out);
  const failed = Number(tests?.[1] ?? 0);
  const passed = Number(tests?.[2] ?? 0);
  const failures = exitCode === 0 ? '' : out.split('\n').filter((l) => /FAIL|seed|Counterexample|AssertionError/.test(l)).slice(0, 40).join('\n');
  log(`  ${passed} passed, ${failed} failed in ${seconds.toFixed(0)} s (exit ${exitCode})`);
  const verdict = exitCode === 0 ? '✅ every property held' : exitCode === null ? `❌ killed after ${timeoutSeconds} s` : '❌ a property failed (seed below)';
  const markdown = `## Fuzz soak (issue 14)

Measured by \`bench/fuzz-soak.ts\` in this run: \`test/proof/fuzz-http.test.ts\` and \`test/proof/fuzz-ipc.test.ts\` (every
operation of the table over HTTP and through the IPC bridge with a fake sender; schema-shaped inputs and hostile mutations;
never a 5xx or an unstructured error, no stack or SQL text, the database journal unchanged after every refused call) with
**FUZZ_RUNS=${scale}**, ${scale} × the cases \`npm test\` runs.

| properties passed | failed | seconds | verdict |
| --- | --- | --- | --- |
| ${passed} | ${failed} | ${seconds.toFixed(0)} | ${verdict} |
${failures ? `\n\`\`\`\n${failures}\n\`\`\`\n` : ''}`;
  return { scale, passed, failed, seconds, exitCode, failures, markdown };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  benchFuzzSoak()
    .then((r) => {
      process.stdout.write(`${r.markdown}\n`);
      process.exit(r.exitCode === 0 ? 0 : 1);
    })
    .catch((err) => {
      process.stderr.write(`${(err as Error).stack ?? err}\n`);
      process.exit(1);
    });
}
