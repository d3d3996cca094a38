// Raw TCP clients for the hostile-client proofs: what a browser or fetch would never send.
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildServer, type HttpLimits } from '../../../electron/core/http/server.js';
import type { Store } from '../../../electron/core/store/contract/store.js';
import { TEST_TOKEN } from '../../helpers.js';

export interface ProofServer {
  app: FastifyInstance;
  port: number;
  base: string;
  /** Requests the server started (its onRequest hook ran), by path. */
  started: Map<string, number>;
  /** The server's side of every connection it accepted. */
  serverSockets: Set<Socket>;
}

/** The real server on 127.0.0.1, free port, with short limits so a proof waits seconds, not minutes. */
export async function startProofServer(store: Store, limits: Partial<HttpLimits>, extend?: (app: FastifyInstance) => void): Promise<ProofServer> {
  const { app } = buildServer({ ctx: { store, version: 'test' }, token: TEST_TOKEN, limits });
  const started = new Map<string, number>();
  app.addHook('onRequest', (req, _reply, done) => {
    const path = req.url.split('?')[0]!;
    started.set(path, (started.get(path) ?? 0) + 1);
    done();
  });
  extend?.(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const serverSockets = new Set<Socket>();
  app.server.on('connection', (s: Socket) => {
    serverSockets.add(s);
    s.once('close', () => serverSockets.delete(s));
  });
  const port = (app.server.address() as AddressInfo).port;
  return { app, port, base: `http://127.0.0.1:${port}`, started, serverSockets };
}

export function request(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string; host?: string } = {}): string {
  const body = opts.body ?? '';
  const headers: Record<string, string> = { host: opts.host ?? `127.0.0.1:${port}`, ...opts.headers };
  if ((body || opts.method === 'POST') && !('content-length' in headers)) headers['content-length'] = String(Buffer.byteLength(body));
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return `${opts.method ?? 'GET'} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

export const authed = (port: number, path: string) => request(port, path, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });

export interface RawConnection {
  socket: Socket;
  /** Everything received so far. */
  received: () => string;
  /** Resolves when the connection is closed (by either side), with how long it stayed open. */
  closed: Promise<{ afterMs: number }>;
}

export async function open(port: number): Promise<RawConnection> {
  const socket = connect(port, '127.0.0.1');
  const t0 = Date.now();
  let got = '';
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => (got += d));
  socket.on('error', () => undefined); // a reset by the server is one of the expected outcomes
  const closed = new Promise<{ afterMs: number }>((r) => socket.once('close', () => r({ afterMs: Date.now() - t0 })));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, received: () => got, closed };
}

/** Splits a stream of HTTP/1.1 responses with content-length bodies into status and body. */
export function parseResponses(raw: string): { status: number; body: string }[] {
  const out: { status: number; body: string }[] = [];
  let rest = raw;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return out;
    const head = rest.slice(0, end);
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
    const len = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
    if (rest.length < end + 4 + len) return out;
    out.push({ status, body: rest.slice(end + 4, end + 4 + len) });
    rest = rest.slice(end + 4 + len);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * A good client's latency: `n` sequential authenticated GETs, each on a fresh fetch. Printed, never asserted
 * (speed belongs in bench/); every answer must be 200.
 */
export async function goodLatency(base: string, n = 20, path = '/api/v1/events/107', token = TEST_TOKEN): Promise<{ medianMs: number; maxMs: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`good request answered ${r.status}`);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { medianMs: round(times[Math.floor(n / 2)]!), maxMs: round(times[n - 1]!) };
}

const round = (x: number) => Math.round(x * 10) / 10;

/** One line per measurement, collected by the test file and printed together. */
export const latencyLog: string[] = [];
export function logLatency(label: string, l: { medianMs: number; maxMs: number }): void {
  latencyLog.push(`${label.padEnd(34)} median ${String(l.medianMs).padStart(6)} ms   max ${String(l.maxMs).padStart(6)} ms`);
}
