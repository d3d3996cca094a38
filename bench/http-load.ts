import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { BENCH_TOKEN } from './config.js';

const CHILD = fileURLToPath(new URL('./server-child.ts', import.meta.url));

export interface ServerHandle {
  port: number;
  base: string;
  child: ChildProcess;
  request: <T>(msg: { type: string }, reply: string) => Promise<T>;
  close: () => Promise<void>;
}

/** Starts a server child (hello | marquee FILE) and waits until it listens. */
export async function startServerChild(mode: 'hello' | 'marquee', file?: string): Promise<ServerHandle> {
  const child = fork(CHILD, [mode, ...(file ? [file] : [])], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${mode} server did not start within 30 s`)), 30_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
    child.on('message', (m: { type: string; port?: number }) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve(m.port!);
      }
    });
  });
  child.removeAllListeners('exit');
  const request = <T>(msg: { type: string }, reply: string) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${reply} from the ${mode} server`)), 60_000);
      const on = (m: { type: string }) => {
        if (m.type !== reply) return;
        clearTimeout(timer);
        child.off('message', on);
        resolve(m as T);
      };
      child.on('message', on);
      child.send(msg);
    });
  const close = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      await Promise.race([request({ type: 'close' }, 'closed'), new Promise((r) => setTimeout(r, 10_000))]);
    } catch {
      // fall through to the kill below
    }
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  };
  return { port, base: `http://127.0.0.1:${port}`, child, request, close };
}

export interface LoadResult {
  title: string;
  connections: number;
  seconds: number;
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /** ms from start until the `stopAfter2xx`-th 2xx answer (sell-out time), if asked. */
  msToNth2xx?: number;
  /** CPU the load generator itself (autocannon, in this process) used per request, µs: it shares the 2 cores with the server. */
  clientCpuUs?: number;
}

export interface LoadOptions {
  title: string;
  url: string;
  connections: number;
  seconds: number;
  amount?: number;
  method?: 'GET' | 'PUT' | 'POST';
  body?: string;
  auth?: boolean;
  /** Per-request path (distinct tickets, round-robin events). */
  path?: () => string;
  nth2xx?: number;
}

export async function load(o: LoadOptions): Promise<LoadResult> {
  const headers: Record<string, string> = {};
  if (o.auth) headers.authorization = `Bearer ${BENCH_TOKEN}`;
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  const pathFn = o.path;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let ok = 0;
  let nthAt: number | undefined;
  const instance = autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.seconds,
    ...(o.amount !== undefined ? { amount: o.amount } : {}),
    method: o.method ?? 'GET',
    headers,
    ...(o.body !== undefined ? { body: o.body } : {}),
    ...(pathFn ? { requests: [{ setupRequest: (req: { path: string }) => ({ ...req, path: pathFn() }) }] } : {}),
    timeout: 10,
  });
  // autocannon lets `amount` override `duration`; both bounds hold here: whichever comes first.
  const stopper = o.amount !== undefined ? setTimeout(() => instance.stop(), o.seconds * 1000) : null;
  if (o.nth2xx !== undefined) {
    instance.on('response', (_client: unknown, statusCode: number) => {
      if (statusCode >= 200 && statusCode < 300 && ++ok === o.nth2xx) nthAt = performance.now() - started;
    });
  }
  const r = await instance;
  const cpu = process.cpuUsage(cpuBefore);
  if (stopper) clearTimeout(stopper);
  const statusCodes: Record<string, number> = {};
  for (const [code, v] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = Number((v as { count: number | string }).count);
  const requests = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return {
    title: o.title,
    connections: o.connections,
    seconds: r.duration,
    requests,
    perSecond: requests / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    statusCodes,
    ...(nthAt !== undefined ? { msToNth2xx: nthAt } : {}),
    ...(requests > 0 ? { clientCpuUs: (cpu.user + cpu.system) / requests } : {}),
  };
}
