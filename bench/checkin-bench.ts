/**
 * Check-ins over HTTP (issue 13): POST /api/v1/check-ins with a distinct signed code per request,
 * bracketed by Fastify hello-world runs in the same run (before and after, merged), then the same
 * codes scanned a second time (every answer a refusal: "already scanned at … by …"). Afterwards the
 * database is checked: one live check-in per admitted answer, no ticket admitted twice.
 * Runs alone with `node --import tsx bench/checkin-bench.ts`, or as a phase of `npm run bench`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import { signTicketCode } from '../electron/core/services/ticket-codes.js';
import { BENCH_TOKEN } from './config.js';
import { buildDataset } from './dataset.js';
import { load, startServerChild, type LoadResult } from './http-load.js';

export interface CheckInBenchOptions {
  log?: (s: string) => void;
  tickets?: number;
  seconds?: number;
  connections?: number;
}

interface ScanRun {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  statusCodes: Record<string, number>;
  admitted: number;
  refused: number;
}

export interface CheckInBenchResult {
  tickets: number;
  connections: number;
  hello: { perSecond: number; runs: number[] };
  first: ScanRun;
  again: ScanRun;
  db: { liveCheckIns: number; ticketsAdmittedTwice: number; integrity: string };
  markdown: string;
}

/** autocannon with a distinct JSON body per request (load() sends one fixed body). */
async function scan(base: string, codes: string[], seconds: number, connections: number): Promise<ScanRun> {
  let next = 0;
  const instance = autocannon({
    url: `${base}/api/v1/check-ins`,
    connections,
    duration: seconds,
    amount: codes.length,
    method: 'POST',
    headers: { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/json' },
    requests: [{ setupRequest: (req: { path: string }) => ({ ...req, body: JSON.stringify({ code: codes[next++ % codes.length], door: 'Bench door' }) }) }],
    timeout: 10,
  });
  // autocannon stops at `amount` or `duration`, whichever is first, only if both are enforced.
  const stopper = setTimeout(() => instance.stop(), seconds * 1000);
  const r = await instance;
  clearTimeout(stopper);
  const statusCodes: Record<string, number> = {};
  for (const [code, v] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = Number((v as { count: number | string }).count);
  const requests = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return { requests, seconds: r.duration, perSecond: requests / r.duration, p50Ms: r.latency.p50, p99Ms: r.latency.p99, maxMs: r.latency.max, errors: r.errors, statusCodes, admitted: 0, refused: 0 };
}

const n0 = (n: number) => Math.round(n).toLocaleString('en-US');
const n2 = (n: number) => n.toFixed(2);

export async function benchCheckIns(o: CheckInBenchOptions = {}): Promise<CheckInBenchResult> {
  const log = o.log ?? ((s: string) => process.stderr.write(`[checkin-bench] ${s}\n`));
  const tickets = o.tickets ?? Number(process.env.BENCH_CHECKIN_TICKETS ?? 40_000);
  const seconds = o.seconds ?? Number(process.env.BENCH_CHECKIN_SECONDS ?? 10);
  const connections = o.connections ?? Number(process.env.BENCH_CONNECTIONS ?? 80);
  const dir = mkdtempSync(join(tmpdir(), 'marquee-checkin-bench-'));
  const file = join(dir, 'checkin.sqlite');
  try {
    log(`dataset: ${n0(tickets)} tickets`);
    const ds = await buildDataset(file, tickets, 0, 0);
    const server = await startServerChild('marquee', file);
    const hello = await startServerChild('hello');
    try {
      log('selling every ticket over HTTP (the orders the codes belong to)');
      let id = ds.firstTicketId;
      const sold: LoadResult = await load({
        title: 'sell',
        url: `${server.base}/`,
        connections,
        seconds: 120,
        amount: ds.lastTicketId - ds.firstTicketId + 1,
        method: 'PUT',
        auth: true,
        path: () => `/api/v1/tickets/${id++}/sold`,
      });
      log(`  ${n0(sold.requests)} sells`);
      // The store makes its ticket-code key on first use: ask for one order's codes, then sign the rest here.
      const ro = new SQLite(file, { readonly: true });
      const anOrder = ro.prepare('SELECT code FROM orders ORDER BY id LIMIT 1').pluck().get() as string;
      const res = await fetch(`${server.base}/api/v1/orders/${anOrder}/ticket-codes`, { headers: { authorization: `Bearer ${BENCH_TOKEN}` } });
      if (!res.ok) throw new Error(`ticket-codes answered ${res.status}: ${await res.text()}`);
      const secret = ro.prepare('SELECT secret FROM ticket_code_secret WHERE id = 1').pluck().get() as string;
      const lines = ro
        .prepare('SELECT i.id AS saleId, i.ticket_id AS ticketId, t.event_id AS eventId FROM order_items i JOIN tickets t ON t.id = i.ticket_id WHERE i.voided_at IS NULL ORDER BY i.id')
        .all() as { saleId: number; ticketId: number; eventId: number }[];
      ro.close();
      const codes = lines.map((l) => signTicketCode(secret, l));
      log(`  ${n0(codes.length)} codes signed`);

      const helloA = await load({ title: 'hello', url: `${hello.base}/`, connections, seconds: Math.max(1, seconds / 2) });
      log(`hello-world ${n0(helloA.perSecond)} req/s; first scans`);
      const first = await scan(server.base, codes, seconds, connections);
      log(`  ${n0(first.perSecond)} check-ins/s, p99 ${first.p99Ms} ms`);
      const again = await scan(server.base, codes.slice(0, first.requests), Math.max(1, seconds / 2), connections);
      log(`  second scans ${n0(again.perSecond)}/s`);
      const helloB = await load({ title: 'hello', url: `${hello.base}/`, connections, seconds: Math.max(1, seconds / 2) });
      const helloPerSecond = (helloA.requests + helloB.requests) / (helloA.seconds + helloB.seconds);

      const db = new SQLite(file, { readonly: true });
      const live = db.prepare('SELECT count(*) FROM check_ins WHERE undone_at IS NULL').pluck().get() as number;
      const twice = db.prepare('SELECT count(*) FROM (SELECT ticket_id FROM check_ins WHERE undone_at IS NULL GROUP BY ticket_id HAVING count(*) > 1)').pluck().get() as number;
      const integrity = String(db.pragma('integrity_check', { simple: true }));
      db.close();
      // Every first scan of a distinct code is an admit and every second one a refusal, so the 200s split exactly.
      first.admitted = live;
      first.refused = (first.statusCodes['200'] ?? 0) - live;
      again.admitted = 0;
      again.refused = again.statusCodes['200'] ?? 0;
      const result = { tickets: codes.length, connections, hello: { perSecond: helloPerSecond, runs: [helloA.perSecond, helloB.perSecond] }, first, again, db: { liveCheckIns: live, ticketsAdmittedTwice: twice, integrity } };
      return { ...result, markdown: render(result) };
    } finally {
      await server.close();
      await hello.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function render(r: Omit<CheckInBenchResult, 'markdown'>): string {
  const row = (label: string, s: ScanRun) => [
    label,
    n0(s.requests),
    `**${n0(s.perSecond)}**`,
    `**${n2(s.perSecond / r.hello.perSecond)} ×**`,
    `${s.p50Ms} / ${s.p99Ms} / ${s.maxMs}`,
    n2(r.connections / s.perSecond * 1000),
    Object.entries(s.statusCodes).map(([k, v]) => `${v} × ${k}`).join(', ') + (s.errors ? `, ${s.errors} errors` : ''),
  ];
  const head = ['scan', 'requests', 'per s', 'vs hello-world', 'p50 / p99 / max ms', 'Little mean ms', 'answers'];
  const rows = [
    ['Fastify hello-world (baseline, before and after)', '', `**${n0(r.hello.perSecond)}**`, '1.00 ×', '', n2(r.connections / r.hello.perSecond * 1000), `runs ${r.hello.runs.map(n0).join(' and ')}`],
    row('POST /api/v1/check-ins, first scan of each code (admit)', r.first),
    row('the same codes again (refused: already scanned at … by …)', r.again),
  ];
  const t = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((x) => `| ${x.join(' | ')} |`)].join('\n');
  return `## Check-ins at the door (issue 13)

Measured by \`bench/checkin-bench.ts\` in this run: a store of ${n0(r.tickets)} sold tickets (synchronous=FULL, writer lane,
as \`marquee serve\`), ${r.connections} connections, a distinct signed code in every request body (verify the HMAC, find the sale,
insert the check-in guarded by the one-live-check-in index, audit). "Little mean" is connections ÷ throughput, the mean
latency a closed load of this size must show; judge the p99 against it.

${t}

After the run: ${n0(r.db.liveCheckIns)} live check-ins (= the first scans answered "admitted": ${n0(r.first.admitted)}),
${r.db.ticketsAdmittedTwice} tickets admitted twice, integrity_check ${r.db.integrity}.
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  benchCheckIns()
    .then((r) => {
      process.stdout.write(`${r.markdown}\n`);
      process.exit(0);
    })
    .catch((err) => {
      process.stderr.write(`${(err as Error).stack ?? err}\n`);
      process.exit(1);
    });
}
