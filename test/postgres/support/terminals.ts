import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';

/**
 * Real box-office terminals for the multi-process proofs (issue 15): each one a child process of
 * `marquee serve --db <url>` on 127.0.0.1 (port 0, so the kernel picks a free one), with its own temp
 * data dir, all on the same PostgreSQL database. Every terminal started here is killed when the
 * test process exits, whatever happens to the test.
 */
export const TERMINAL_TOKEN = 'multi-terminal-test-token-7c1e9a';

const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'electron/cli/bin.mjs');
const START_TIMEOUT_MS = 120_000; // tsx compiles the CLI on start; the machine may be busy

export interface Terminal {
  readonly name: string;
  /** http://127.0.0.1:PORT */
  readonly base: string;
  /** The one-time sign-in link it printed (signs a browser in as the admin, once). */
  readonly loginUrl: string;
  readonly pid: number;
  /** fetch under /api/v1 with the token; `json` becomes the body. */
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  /** POST json, answered as { status, body } (body parsed as JSON). */
  post(path: string, json: unknown, headers?: Record<string, string>): Promise<Answer>;
  /** SIGKILL, as a crash or pulled plug would; resolves when the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (the CLI closes the server and the store), SIGKILL after 10 s; resolves when gone. */
  stop(): Promise<void>;
  readonly exited: boolean;
  /** Everything it wrote to stdout and stderr so far, for failure messages. */
  output(): string;
}

export interface Answer {
  status: number;
  body: unknown;
}

export interface ApiError {
  error: { code: string; message: string; details?: unknown };
}

/** Every terminal still running, with its data dir. */
const live = new Map<ChildProcess, string>();
let hooked = false;
function killAllOnExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const [c, dir] of live) {
      c.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

export async function startTerminal(dbUrl: string, name: string, env: NodeJS.ProcessEnv = {}): Promise<Terminal> {
  killAllOnExit();
  const dataDir = mkdtempSync(join(tmpdir(), `marquee-term-${name}-`));
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--db', dbUrl], {
    cwd: ROOT,
    env: { ...process.env, MARQUEE_API_TOKEN: TERMINAL_TOKEN, MARQUEE_LOG: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.set(child, dataDir);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  void gone.then(() => {
    live.delete(child);
    rmSync(dataDir, { recursive: true, force: true });
  });

  let loginUrl: string;
  try {
    loginUrl = await new Promise<string>((resolveLink, reject) => {
      const timer = setTimeout(() => reject(new Error(`terminal ${name} printed no sign-in link within ${START_TIMEOUT_MS} ms:\n${out}`)), START_TIMEOUT_MS);
      const look = () => {
        const m = /http:\/\/127\.0\.0\.1:\d+\/login\?code=\S+/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolveLink(m[0]);
        }
      };
      child.stdout!.on('data', look);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`terminal ${name} exited while starting (${signal ?? `exit code ${code}`}):\n${out}`));
      });
    });
  } catch (err) {
    child.kill('SIGKILL');
    await gone;
    throw err;
  }
  const base = new URL(loginUrl).origin;

  const api: Terminal['api'] = (path, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${TERMINAL_TOKEN}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return fetch(`${base}/api/v1${path}`, { ...init, headers, body, signal: init.signal ?? AbortSignal.timeout(60_000) });
  };
  const waitGone = async (signal: NodeJS.Signals, graceMs: number) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  };
  return {
    name,
    base,
    loginUrl,
    pid: child.pid!,
    api,
    async post(path, json, headers) {
      const res = await api(path, { method: 'POST', json, headers });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
    kill: () => waitGone('SIGKILL', 0),
    stop: () => waitGone('SIGTERM', 10_000),
    get exited() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    output: () => out,
  };
}

/**
 * n terminals on one database. The first creates the schema (and the admin) on its own; the others
 * then start together, as a venue's windows would on opening.
 */
export async function startTerminals(dbUrl: string, n: number, prefix = 't'): Promise<Terminal[]> {
  const first = await startTerminal(dbUrl, `${prefix}1`);
  const started: Terminal[] = [first];
  try {
    const rest = await Promise.allSettled(Array.from({ length: n - 1 }, (_, i) => startTerminal(dbUrl, `${prefix}${i + 2}`)));
    for (const r of rest) if (r.status === 'fulfilled') started.push(r.value);
    const failed = rest.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    return started;
  } catch (err) {
    await stopTerminals(started);
    throw err;
  }
}

export async function stopTerminals(terminals: readonly Terminal[]): Promise<void> {
  await Promise.all(terminals.map((t) => t.stop()));
}

/** A plain client on the database, for looking at what was committed without going through Marquee. */
export async function withDb<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Runs `fn` with at most `limit` calls in flight at once (the rest queue), keeping each result. */
export async function inFlight<T>(count: number, limit: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      for (let i = next++; i < count; i = next++) results[i] = await fn(i);
    }),
  );
  return results;
}

/** A sleep for polling loops. */
export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value (not undefined), at most `ms`; throws with `what` otherwise. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000, every = 200): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await pause(every);
  }
}
