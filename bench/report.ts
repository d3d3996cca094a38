import type { LoopResult } from './baselines.js';
import type { BenchConfig, machine } from './config.js';
import type { Dataset } from './dataset.js';
import type { LoadResult } from './http-load.js';
import type { ProfileSummary } from './profile.js';
import type { LatencyRow } from './search.js';
import type { BlockFigures, MainThreadBenchResult } from './mainthread-block.js';
import type { SeatMapBenchResult } from './seatmap-bench.js';
import type { SaleAnatomy } from './sale-anatomy.js';
import type { PgBenchResult } from './pg-bench.js';
import type { InProcessResult } from './sell-in-process.js';

export interface BenchResults {
  startedAt: string;
  seconds: number;
  machine: ReturnType<typeof machine>;
  config: BenchConfig;
  loads: Record<string, number>;
  dataset: Dataset;
  search: LatencyRow[];
  /** Bare NORMAL loop before and after the in-process run (the in-process baseline). */
  bareNormal: LoopResult;
  /** Bare NORMAL loop after the in-process run and after the HTTP run (the HTTP baseline). */
  bareAroundHttp: LoopResult;
  bareRuns: LoopResult[];
  helloRuns: LoadResult[];
  bareFull: LoopResult;
  kysely: LoopResult;
  inProcess: InProcessResult;
  singleClerk: InProcessResult;
  hello: LoadResult;
  httpSells: LoadResult;
  httpGroups: {
    groups: number;
    items: number;
    commitMs: number;
    busyMs: number;
    largestGroup: number;
    /** Absent in results saved before they were measured. */
    longestCommitMs?: number;
    slowCommits?: number;
    slowCommitMs?: number;
    replays: number;
    /** Sells ran on the writer lane (a second thread) rather than on the serving thread. */
    lane: boolean;
    /** Serving thread busy time and whole-process CPU over the HTTP sell run. */
    servingActiveMs: number;
    cpuMs: number;
  };
  /** The same in-process run with the group committed on the calling thread (no lane). */
  inProcessHere: InProcessResult;
  /** One sale's steps on a writer connection, timed (bench/sale-anatomy.ts); absent in results saved before it existed. */
  anatomy?: SaleAnatomy;
  /** A shorter HTTP sell run against a server without the lane. */
  httpSellsHere: LoadResult;
  mainThreadBench: { file: string; result: unknown } | { file: string; error: string } | null;
  httpCheck: { soldInRange: number; linesInRange: number; soldTwice: number };
  serverCommits: { commits: number; synchronousSeen: number[] };
  profiledLoad: LoadResult;
  profile: ProfileSummary;
  httpSearch: LoadResult;
  scenario: { load: LoadResult; quota: number; extra: number; perEvent: { eventId: number; sold: number; lines: number }[] };
  integrity: string;
  /** The PostgreSQL phase (bench/pg-bench.ts); null when skipped (BENCH_POSTGRES=0) or in results saved before it existed. */
  postgres?: PgBenchResult | { error: string } | null;
  importBench: { file: string; result: unknown } | { file: string; error: string } | null;
  reportsBench: { file: string; result: unknown } | { file: string; error: string } | null;
  seatmapBench: { file: string; result: unknown } | { file: string; error: string } | null;
  /** bench/checkin-bench.ts and bench/fuzz-soak.ts: each renders its own section (result.markdown). */
  checkinBench?: { file: string; result: unknown } | { file: string; error: string } | null;
  fuzzSoak?: { file: string; result: unknown } | { file: string; error: string } | null;
}

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const n2 = (x: number) => x.toFixed(2);
const ms = (x: number | null) => (x === null ? '—' : x < 1 ? x.toFixed(3) : x.toFixed(2));
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const verdict = (ok: boolean) => (ok ? '✅ met' : '❌ below target');

function table(head: string[], rows: (string | number)[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** Renders another helper's bench result without knowing its shape: scalars as a list, arrays of rows as tables. */
function renderForeign(title: string, b: BenchResults['importBench']): string {
  if (!b) return `## ${title}\n\nNot measured: no such bench file in bench/ at the time of this run.\n`;
  if ('error' in b) return `## ${title}\n\n\`bench/${b.file}\` failed in this run:\n\n\`\`\`\n${b.error.slice(0, 2000)}\n\`\`\`\n`;
  const r = b.result as Record<string, unknown>;
  const nested = Object.entries(r).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v as Record<string, unknown>).map(([k2, v2]) => [`${k}.${k2}`, v2] as [string, unknown]) : [],
  );
  const listed = Object.entries(r).flatMap(([k, v]) => (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object') ? [[k, v.join(', ')] as [string, unknown]] : []));
  const scalars = [...Object.entries(r), ...nested, ...listed].filter(([, v]) => v === null || typeof v !== 'object');
  const arrays = Object.entries(r).filter(([, v]) => Array.isArray(v) && v.length > 0 && typeof v[0] === 'object') as [string, Record<string, unknown>[]][];
  let s = `## ${title}\n\nMeasured by \`bench/${b.file}\` in this run.\n\n`;
  s += table(['figure', 'value'], scalars.map(([k, v]) => [k, typeof v === 'number' ? (Number.isInteger(v) ? n0(v) : n2(v)) : String(v)]));
  for (const [k, rows] of arrays) {
    const cols = Object.keys(rows[0]!);
    s += `\n\n${k}:\n\n${table(cols, rows.map((row) => cols.map((c) => String(row[c]))))}`;
  }
  return `${s}\n`;
}

export function renderResults(r: BenchResults): string {
  const m = r.machine;
  const httpVsHello = r.httpSells.perSecond / r.hello.perSecond;
  const httpVsBare = r.httpSells.perSecond / r.bareAroundHttp.perSecond;
  const inVsBare = r.inProcess.perSecond / r.bareNormal.perSecond;
  const httpOk = r.httpSells.errors === 0 && r.httpSells.timeouts === 0 && r.httpSells.non2xx === 0;
  const g = r.httpGroups;
  const sc = r.scenario;
  const scSold = sc.perEvent.reduce((a, e) => a + e.sold, 0);
  const scLines = sc.perEvent.reduce((a, e) => a + e.lines, 0);
  const sc2xx = Object.entries(sc.load.statusCodes).filter(([c]) => c.startsWith('2')).reduce((a, [, v]) => a + v, 0);
  const sc409 = sc.load.statusCodes['409'] ?? 0;
  const ok200 = r.httpSells.statusCodes['200'] ?? 0;
  const perSaleUs = (busyMs: number, items: number) => (items > 0 ? (busyMs * 1000) / items : 0);

  const out: string[] = [];
  out.push(`# Marquee benchmark results

Written by \`npm run bench\` (bench/run.ts) on ${r.startedAt}${r.config.quick ? ' — **BENCH_QUICK smoke run: small sizes, short durations; not the reference figures**' : ''}; the run took ${n0(r.seconds)} s.

**Machine:** ${m.cpu}, ${m.memoryGb} GB RAM, ${m.platform}, Node ${m.node}. The machine is shared with other work while the bench
runs, so absolute figures are noisy; what counts are the ratios against baselines measured in this same run. 1-minute load
average at the end of each phase: ${Object.entries(r.loads).map(([k, v]) => `${k} ${v}`).join(', ')}.

**Durability of every sell figure below:** the store's writer runs WAL with \`synchronous=FULL\` (the log is fsynced before
COMMIT returns) and a sale is answered only after the COMMIT of its group. The HTTP server saw ${n0(r.serverCommits.commits)}
commits in this run, each checked right before COMMIT: PRAGMA synchronous was ${r.serverCommits.synchronousSeen.join(', ')} (2 = FULL) at every one.
The in-process run: ${n0(r.inProcess.commits)} commits, synchronous ${r.inProcess.synchronousSeen.join(', ')}.

## Targets (issue 8)

${table(
  ['target', 'measured', 'verdict'],
  [
    ['HTTP sells ≥ 0.25 × Fastify hello-world req/s', `${n0(r.httpSells.perSecond)} / ${n0(r.hello.perSecond)} = **${n2(httpVsHello)} ×**`, verdict(httpVsHello >= 0.25)],
    ['HTTP sells ≥ 1.0 × bare better-sqlite3 loop (synchronous=NORMAL)', `${n0(r.httpSells.perSecond)} / ${n0(r.bareAroundHttp.perSecond)} = **${n2(httpVsBare)} ×**`, verdict(httpVsBare >= 1)],
    ['HTTP sells p99 ≤ 10 ms', `**${r.httpSells.p99Ms} ms** (p50 ${r.httpSells.p50Ms} ms, max ${r.httpSells.maxMs} ms)`, verdict(r.httpSells.p99Ms <= 10)],
    ['HTTP sells: zero errors', `${r.httpSells.errors} errors, ${r.httpSells.timeouts} timeouts, ${r.httpSells.non2xx} non-2xx`, verdict(httpOk)],
    [
      'zero tickets sold twice (checked in the database after the run)',
      `${r.httpCheck.soldTwice} sold twice; ${n0(r.httpCheck.soldInRange)} sold = ${n0(r.httpCheck.linesInRange)} order lines; ${n0(ok200)} × 200 counted by the client (+ ${n0(r.httpCheck.soldInRange - ok200)} answered while autocannon was stopping)`,
      verdict(r.httpCheck.soldTwice === 0 && r.httpCheck.soldInRange === r.httpCheck.linesInRange && r.httpCheck.soldInRange >= ok200 && r.httpCheck.soldInRange <= ok200 + r.config.connections),
    ],
    ['in-process sells ≥ 1.5 × bare synchronous=NORMAL loop, durably', `${n0(r.inProcess.perSecond)} / ${n0(r.bareNormal.perSecond)} = **${n2(inVsBare)} ×** (synchronous=FULL)`, verdict(inVsBare >= 1.5 && r.inProcess.errors === 0)],
    [`brief's scenario sells out exactly ${n0(sc.quota)}`, `${n0(scSold)} sold, ${n0(scLines)} order lines, ${n0(sc2xx)} × 201, ${n0(sc409)} × 409 for the ${n0(sc.extra)} requests after sell-out`, verdict(scSold === sc.quota && scLines === sc.quota && sc2xx === sc.quota)],
    ['database intact after the run', `PRAGMA integrity_check: ${r.integrity}`, verdict(r.integrity === 'ok')],
  ],
)}

## Selling

Every sale is a guarded sell (UPDATE … WHERE status = 'available' with a changed-row check) plus an order, its line and
its payment, on a store of ${n0(r.dataset.catalogTickets + r.dataset.scenarioEventIds.length * r.config.scenarioQuota)} tickets; each
phase sells its own range of ticket ids, so nothing is sold twice across phases.

${table(
  ['path', 'durability', 'sales', 'sales/s', 'p50 ms', 'p99 ms', 'vs bare NORMAL'],
  [
    ['bare better-sqlite3 loop, one transaction per sale (baseline)', 'NORMAL (no fsync per commit)', n0(r.bareNormal.sales), `**${n0(r.bareNormal.perSecond)}**`, ms(r.bareNormal.p50Ms), ms(r.bareNormal.p99Ms), '1.00 ×'],
    ['bare better-sqlite3 loop, one transaction per sale', 'FULL (fsync per sale)', n0(r.bareFull.sales), n0(r.bareFull.perSecond), ms(r.bareFull.p50Ms), ms(r.bareFull.p99Ms), `${n2(r.bareFull.perSecond / r.bareNormal.perSecond)} ×`],
    [`Kysely, one store.write per sale (the path before issue 8), ${r.config.connections} in flight`, 'FULL', n0(r.kysely.sales), n0(r.kysely.perSecond), ms(r.kysely.p50Ms), ms(r.kysely.p99Ms), `${n2(r.kysely.perSecond / r.bareNormal.perSecond)} ×`],
    [`**in-process invoke('sellTicket')** (IPC path without Electron), group commit, ${r.inProcess.concurrency} in flight`, 'FULL', n0(r.inProcess.sales), `**${n0(r.inProcess.perSecond)}**`, ms(r.inProcess.p50Ms), ms(r.inProcess.p99Ms), `**${n2(inVsBare)} ×**`],
    [`in-process, group committed on the calling thread (writer lane off), ${r.inProcessHere.concurrency} in flight`, 'FULL', n0(r.inProcessHere.sales), n0(r.inProcessHere.perSecond), ms(r.inProcessHere.p50Ms), ms(r.inProcessHere.p99Ms), `${n2(r.inProcessHere.perSecond / r.bareNormal.perSecond)} ×`],
    ['in-process, a single clerk (1 in flight)', 'FULL', n0(r.singleClerk.sales), n0(r.singleClerk.perSecond), ms(r.singleClerk.p50Ms), ms(r.singleClerk.p99Ms), `${n2(r.singleClerk.perSecond / r.bareNormal.perSecond)} ×`],
    [`**HTTP PUT /api/v1/tickets/:id/sold** (no body: a card sale at the ticket's price), autocannon ${r.config.connections} connections × ${n2(r.httpSells.seconds)} s`, 'FULL', n0(r.httpSells.requests), `**${n0(r.httpSells.perSecond)}**`, String(r.httpSells.p50Ms), String(r.httpSells.p99Ms), `**${n2(httpVsBare)} ×**`],
    [`HTTP, writer lane off (sells on the serving thread), ${r.config.connections} connections × ${n2(r.httpSellsHere.seconds)} s`, 'FULL', n0(r.httpSellsHere.requests), n0(r.httpSellsHere.perSecond), String(r.httpSellsHere.p50Ms), String(r.httpSellsHere.p99Ms), `${n2(r.httpSellsHere.perSecond / r.bareAroundHttp.perSecond)} ×`],
    [`Fastify hello-world (baseline), ${r.config.connections} connections × ${n2(r.hello.seconds)} s`, '—', n0(r.hello.requests), `**${n0(r.hello.perSecond)}** req/s`, String(r.hello.p50Ms), String(r.hello.p99Ms), '—'],
  ],
)}

Baselines were run twice around each target, on the shared machine: bare NORMAL loop ${r.bareRuns.map((b) => `${n0(b.perSecond)}/s`).join(' → ')}
(before in-process → after in-process → after HTTP; the in-process ratio uses the first two, the HTTP ratio the last two:
${n0(r.bareAroundHttp.perSecond)}/s), Fastify hello-world ${r.helloRuns.map((h) => `${n0(h.perSecond)} req/s`).join(' → ')} (before → after the HTTP sells).

Group commit in these runs (the HTTP server ${g.lane ? 'ran its sells on the writer lane' : 'had no writer lane'}):

${table(
  ['run', 'groups', 'avg sales per group', 'largest', 'COMMIT (fsync) ms per group', 'DB time per sale (statements + share of COMMIT)', 'groups replayed with savepoints'],
  [
    ['in-process (writer lane)', n0(r.inProcess.groups), n2(r.inProcess.avgGroup), n0(r.inProcess.largestGroup), n2(r.inProcess.commitMsPerGroup), '—', '—'],
    ['in-process (calling thread)', n0(r.inProcessHere.groups), n2(r.inProcessHere.avgGroup), n0(r.inProcessHere.largestGroup), n2(r.inProcessHere.commitMsPerGroup), '—', '—'],
    ['HTTP (writer lane)', n0(g.groups), n2(g.groups ? g.items / g.groups : 0), n0(g.largestGroup), n2(g.groups ? g.commitMs / g.groups : 0), `${n2(perSaleUs(g.busyMs, g.items))} µs (of which COMMIT ${n2(perSaleUs(g.commitMs, g.items))} µs)`, n0(g.replays)],
  ],
)}

### The brief's scenario: an on-sale rush

${sc.perEvent.length} events × ${n0(r.config.scenarioQuota)} tickets, ${r.config.connections} connections, each request \`POST /api/v1/events/:id/sales\`
(operation \`sellAny\`: the server picks the cheapest available ticket of that event and sells it in the same group item, so
concurrent buyers never race for a seat id), events in turn, ${n0(sc.quota + sc.extra)} requests in all.

${table(
  ['figure', 'value'],
  [
    ['time until the last ticket was sold', `**${sc.load.msToNth2xx !== undefined ? n2(sc.load.msToNth2xx / 1000) : '—'} s**`],
    ['requests/s over the whole run', n0(sc.load.perSecond)],
    ['latency p50 / p99 / max', `${sc.load.p50Ms} / ${sc.load.p99Ms} / ${sc.load.maxMs} ms`],
    ['answers', Object.entries(sc.load.statusCodes).map(([c, v]) => `${n0(v)} × ${c}`).join(', ')],
    ['errors / timeouts', `${sc.load.errors} / ${sc.load.timeouts}`],
    ['sold per event (database)', sc.perEvent.map((e) => `${e.eventId}: ${n0(e.sold)}`).join(', ')],
    ['total sold / order lines', `${n0(scSold)} / ${n0(scLines)} (exactly ${n0(sc.quota)} expected)`],
  ],
)}

The brief's reservation service published about 930 requests/s for its best design (in memory, no database) and 71
requests/s with PostgreSQL for this load.

## Where the time goes (CPU profile of the HTTP server, ${n2(r.profile.totalMs / 1000)} s of sells at ${n0(r.profiledLoad.perSecond)} req/s)

Self time by area:

${table(['area', 'share of samples'], r.profile.areas.map((a) => [a.area, pct(a.share)]))}

Top functions by self time:

${table(['function', 'share'], r.profile.top.map((t) => [`\`${t.fn}\``, pct(t.share)]))}

Marquee code by inclusive time (the function and everything it calls; nested entries overlap):

${table(['function', 'share'], r.profile.marquee.map((t) => [`\`${t.fn}\``, pct(t.share)]))}

Cost per sale, from the figures above (wall time divided by the sales made; the serving thread's busy time is its
event-loop utilisation):

${table(
  ['path', 'µs per request or sale', 'of which'],
  [
    ['Fastify hello-world', n0(1e6 / r.hello.perSecond), `HTTP parsing, routing, reply, socket writes${clientCpu(r.hello)}`],
    ['bare better-sqlite3 loop, NORMAL', n0(1e6 / r.bareNormal.perSecond), 'one transaction per sale: its pages written to the WAL, plus checkpoints'],
    ['bare better-sqlite3 loop, FULL', n0(1e6 / r.bareFull.perSecond), 'the same plus one fsync per sale'],
    ['in-process sell, group commit', n0(1e6 / r.inProcess.perSecond), `COMMIT ${n2((r.inProcess.commitMsPerGroup * 1000) / Math.max(1, r.inProcess.avgGroup))} µs per sale (one fsync per ${n2(r.inProcess.avgGroup)} sales); the rest: statements, audit row, validation, the hand-over to the lane`],
    ['HTTP sell, group commit on the writer lane', n0(1e6 / r.httpSells.perSecond), `serving thread busy ${n0(perSaleUs(g.servingActiveMs, r.httpSells.requests))} µs per request (HTTP, auth, validation, JSON, hand-over); writer lane ${n0(perSaleUs(g.busyMs, g.items))} µs per sale (COMMIT ${n0(perSaleUs(g.commitMs, g.items))} µs); CPU of the whole server process ${n0(perSaleUs(g.cpuMs, r.httpSells.requests))} µs per request${clientCpu(r.httpSells)}`],
  ],
)}
${anatomySection(r)}

Latency: autocannon keeps ${r.config.connections} requests in flight and sends the next as soon as one is answered, so the mean
latency is ${r.config.connections} ÷ throughput (Little's law): at ${n0(r.httpSells.perSecond)} sales/s that is ${n2((r.config.connections / r.httpSells.perSecond) * 1000)} ms before any
queueing variance. A p99 of 10 ms with ${r.config.connections} connections needs more than ${n0(r.config.connections / 0.01)} answers/s on average; Fastify's
hello-world itself, which does no work at all, had a p99 of ${r.hello.p99Ms} ms in this run.${slowCommitNote(r)}
${cpuBudgetNote(r)}

How to read it: the server has two threads at work. The serving thread parses the request, checks the Bearer token (two
prepared statements, their answer kept only until the next commit to the database, so a revocation counts from the next
request), validates with zod, builds the audit entry and hands the
sale to the writer lane as plain data; the lane runs each group synchronously from BEGIN to COMMIT on its own connection,
and COMMIT under synchronous=FULL waits for the fsync of the WAL. While the lane waits for the disk, the serving thread
keeps taking requests, which become the next group. The profile above is the serving thread's.
Group commit pays that fsync once per group instead of once per sale (compare the FULL bare loop), and writes each shared
page (table and index leaves) once per group instead of once per sale, which is why it beats even the NORMAL bare loop
in process. The per-sale statements are prepared once per connection (no Kysely query building, no promise per statement), and the
store keeps Kysely's compiled statements by SQL text for everything else (store/statement-cache.ts), so what Kysely still
costs on a request is building the query, not compiling it. The sale itself is the guarded
UPDATE … RETURNING, three INSERTs (order, line, payment) plus the audit row that every mutating call writes, with no
SAVEPOINT per sale on the lane (a group is replayed with savepoints only if a sale fails after writing). Order codes
begin with a 10 ms clock tick (services/order-code.ts), so the codes of one group land on the same page or two of their
unique index instead of one random page each. The machine has two cores for three busy threads (autocannon, the serving
thread, the lane): their CPU per request, added up, is what two cores can give, and the threads also wait for each other's CPU.

## Search on ${n0(r.dataset.catalogTickets)} tickets (${n0(r.dataset.catalogEvents)} events, 20 cities)

One query at a time through \`invoke\` (zod, handler, Kysely on the reader connection), before the sell phases, warm cache;
beside it the same question as one bare prepared statement where one exists.

${table(
  ['query', 'queries', 'p50 ms', 'p99 ms', 'bare statement p50 ms', 'bare p99 ms'],
  r.search.map((s) => [s.label, n0(s.queries), ms(s.p50Ms), ms(s.p99Ms), ms(s.rawP50Ms), ms(s.rawP99Ms)]),
)}

Over HTTP, \`GET /api/v1/events/:id/tickets?sort=price&limit=50\` on random events, ${r.config.connections} connections × ${n2(r.httpSearch.seconds)} s:
**${n0(r.httpSearch.perSecond)} req/s** (${n2(r.httpSearch.perSecond / r.hello.perSecond)} × hello-world), p50 ${r.httpSearch.p50Ms} ms, p99 ${r.httpSearch.p99Ms} ms,
${r.httpSearch.errors} errors, ${r.httpSearch.non2xx} non-2xx.

`);
  out.push(renderPostgres(r.postgres ?? null, r.config.connections));
  out.push(renderForeign('CSV import', r.importBench));
  out.push(renderForeign('Sales reports', r.reportsBench));
  out.push(REPORT_INDEXES);
  out.push(renderMainThread(r.mainThreadBench));
  out.push(renderSeatMap(r.seatmapBench));
  out.push(renderOwn('Check-ins at the door (issue 13)', r.checkinBench ?? null));
  out.push(renderOwn('Fuzz soak (issue 14)', r.fuzzSoak ?? null));
  out.push(`
## How to run

\`npm run bench\` (about 10–15 minutes on 2 cores the first time, when the 1,000,000-order report store is built into bench/tmp; about 5 minutes afterwards). \`BENCH_QUICK=1 npm run bench\` for a smoke run. Knobs: BENCH_CATALOG_TICKETS,
BENCH_HTTP_SECONDS, BENCH_CONNECTIONS, BENCH_LOOP_SECONDS, BENCH_INPROCESS_SECONDS, BENCH_SEARCH_QUERIES, BENCH_IMPORT_ROWS,
BENCH_REPORT_ORDERS, BENCH_DIR (keep the bench database there); PostgreSQL phase: BENCH_POSTGRES=0 skips it, BENCH_PG_HTTP_SECONDS,
BENCH_PG_LOOP_SECONDS, BENCH_PG_IMPORT_ROWS (0 skips the import), BENCH_PG_POOL, BENCH_PG_TICKETS, BENCH_PG_PROFILE=FILE (a CPU profile of the terminal over a further 3 s storm); check-ins: BENCH_CHECKIN_TICKETS, BENCH_CHECKIN_SECONDS (\`node --import tsx bench/checkin-bench.ts\` alone); fuzz soak: BENCH_FUZZ_SCALE (× the cases of \`npm test\`; \`node --import tsx bench/fuzz-soak.ts\` alone). \`node --import tsx bench/pg-bench.ts\` runs it alone. \`node --import tsx bench/render-again.ts\` renders this file again from the last run's figures (bench/tmp/last-results.json).
`);
  return out.join('\n');
}

/** The PostgreSQL phase: every target beside its baseline of the same run. */
/** The sell lane's figures of the HTTP run (results saved before the lane existed have none). */
function laneLine(p: PgBenchResult): string {
  const c = p.serverCommits as Partial<PgBenchResult['serverCommits']>;
  if (c.items === undefined) return '';
  const l = c.sellLane;
  const lane = l
    ? `; sell lane: ${n0(l.batches ?? 0)} batches (${n0(l.oneStatement ?? 0)} as one statement, ${n0(l.transaction ?? 0)} as a transaction, largest ${n0(l.largest ?? 0)}), ${n0(l.alone ?? 0)} sales answered alone after a batch, ${n0(l.fellBack ?? 0)} batches fell back to one sale at a time`
    : '; sell lane off';
  return ` carrying ${n0(c.items)} sales (${n2(c.items / Math.max(1, p.serverCommits.commits))} a commit${lane})`;
}

function cpuLine(p: PgBenchResult): string {
  if (p.serverCpuMs === undefined) return '';
  return ` CPU per HTTP sell: the terminal's process ${n0((p.serverCpuMs * 1000) / Math.max(1, p.httpSells.requests))} µs, autocannon ${n0(p.httpSells.clientCpuUs ?? 0)} µs.`;
}

export function renderPostgres(p: BenchResults['postgres'], connections: number): string {
  if (p === null || p === undefined) return `## Several terminals, one PostgreSQL (issue 15)\n\nNot measured in this run (BENCH_POSTGRES=0).\n`;
  if ('error' in p) return `## Several terminals, one PostgreSQL (issue 15)\n\nThe PostgreSQL phase failed in this run:\n\n\`\`\`\n${p.error.slice(0, 2000)}\n\`\`\`\n`;
  const h = p.httpSells;
  const vsHello = h.perSecond / p.hello.perSecond;
  const vsBare = h.perSecond / p.bare.perSecond;
  const little = (conn: number, perSecond: number) => (perSecond > 0 ? (conn / perSecond) * 1000 : NaN);
  const mean = little(connections, h.perSecond);
  const ok2xx = h.statusCodes['200'] ?? 0;
  const c = p.httpCheck;
  const f = p.fourTerminals;
  const fc = p.fourCheck;
  const fourVsOne = f.perSecond / p.oneTerminal.perSecond;
  const imp = 'error' in p.import ? null : p.import;
  const s = p.server.settings;
  return `## Several terminals, one PostgreSQL (issue 15)

A throwaway PostgreSQL ${p.server.version.split(' ')[0]} started by the bench (test/support/postgres-server.ts: a temp dir, 127.0.0.1 on a
free port), durable as in production: fsync=${s.fsync}, synchronous_commit=${s.synchronous_commit}, wal_sync_method=${s.wal_sync_method},
full_page_writes=${s.full_page_writes}, commit_delay=${s.commit_delay}. ${n0(p.options.tickets)} tickets (built in ${n2(p.datasetSeconds)} s); each phase sells its own
ticket ids. Each terminal is a server child (bench/server-child.ts over openPgStore, pool of ${p.options.pool} connections); the
bare loop uses a pool of the same size. The terminal saw ${n0(p.serverCommits.commits)} commits in the HTTP run${laneLine(p)}, each durable
(synchronous_commit checked in the sale's own statement or transaction: ${p.serverCommits.synchronousSeen.join(', ')}, 2 = on).${cpuLine(p)}
Phase time ${n2(p.seconds)} s.

${table(
  ['target', 'measured', 'verdict'],
  [
    ['HTTP sells on PostgreSQL ≥ 0.15 × Fastify hello-world', `${n0(h.perSecond)} / ${n0(p.hello.perSecond)} = **${n2(vsHello)} ×**`, verdict(vsHello >= 0.15)],
    ['HTTP sells on PostgreSQL ≥ 1.0 × bare node-postgres loop (same guarded transaction, same concurrency)', `${n0(h.perSecond)} / ${n0(p.bare.perSecond)} = **${n2(vsBare)} ×**`, verdict(vsBare >= 1)],
    [
      `HTTP sells p99 against the Little's-law mean (${connections} connections ÷ throughput = ${n2(mean)} ms)`,
      `p99 **${h.p99Ms} ms** = ${n2(h.p99Ms / mean)} × the mean (p50 ${h.p50Ms} ms, max ${h.maxMs} ms)`,
      h.p99Ms <= 3 * mean ? '✅ within 3 × the mean' : '❌ tail over 3 × the mean',
    ],
    ['HTTP sells: zero errors', `${h.errors} errors, ${h.timeouts} timeouts, ${h.non2xx} non-2xx`, verdict(h.errors + h.timeouts + h.non2xx === 0)],
    [
      'zero tickets sold twice; every sale has its line (checked in the database)',
      `${c.soldTwice} sold twice; ${n0(c.sold)} sold = ${n0(c.lines)} lines = ${n0(c.orders)} orders; ${n0(ok2xx)} × 200 counted by the client`,
      verdict(c.soldTwice === 0 && c.sold === c.lines && c.lines === c.orders && c.sold >= ok2xx && c.sold <= ok2xx + connections),
    ],
    [
      '4 terminals on one PostgreSQL: nothing sold twice, every sale audited',
      `${fc.soldTwice} sold twice; ${n0(fc.sold)} sold = ${n0(fc.lines)} lines; audit entries of the terminals' sales so far ${n0(fc.audits)}`,
      verdict(fc.soldTwice === 0 && fc.sold === fc.lines),
    ],
    ...(imp ? [['CSV import on PostgreSQL ≥ 0.5 × a bare COPY of the same rows (the SQLite import\'s target, applied here)', `${n0(imp.rowsPerSec)} / ${n0(imp.baselineRowsPerSec)} rows/s = **${n2(imp.ratio)} ×**`, verdict(imp.ratio >= 0.5)]] : []),
  ],
)}

${table(
  ['path', 'requests / sales', 'per second', 'p50 ms', 'p99 ms', 'vs bare loop'],
  [
    [p.bare.label + ' (baseline; before and after the HTTP run)', n0(p.bare.sales), `**${n0(p.bare.perSecond)}**`, ms(p.bare.p50Ms), ms(p.bare.p99Ms), '1.00 ×'],
    [`**HTTP PUT /api/v1/tickets/:id/sold** on PostgreSQL, one terminal, ${connections} connections × ${n2(h.seconds)} s`, n0(h.requests), `**${n0(h.perSecond)}**`, String(h.p50Ms), String(h.p99Ms), `**${n2(vsBare)} ×**`],
    ...(p.storeAlone
      ? [[`${p.storeAlone.label} × ${n2(p.storeAlone.seconds)} s: the ceiling of the HTTP figure (batches of ${n2(p.storeAlone.avgBatch)} on average, ${p.storeAlone.errors} errors)`, n0(p.storeAlone.sales), n0(p.storeAlone.perSecond), ms(p.storeAlone.p50Ms), ms(p.storeAlone.p99Ms), `${n2(p.storeAlone.perSecond / p.bare.perSecond)} ×; ${n2(p.storeAlone.perSecond / p.hello.perSecond)} × hello-world`]]
      : []),
    [`one terminal again, ${connections} connections × ${n2(p.oneTerminal.seconds)} s`, n0(p.oneTerminal.requests), n0(p.oneTerminal.perSecond), String(p.oneTerminal.p50Ms), String(p.oneTerminal.p99Ms), `${n2(p.oneTerminal.perSecond / p.bare.perSecond)} ×`],
    [`**4 terminals at once** (4 server processes, ${Math.floor(connections / 4)} connections each)`, n0(f.requests), `**${n0(f.perSecond)}** (${f.perTerminal.map((t) => n0(t.perSecond)).join(' + ')})`, '—', String(f.p99Ms), `${n2(f.perSecond / p.bare.perSecond)} ×; ${n2(fourVsOne)} × one terminal`],
    [`Fastify hello-world (baseline), ${connections} connections`, n0(p.hello.requests), `${n0(p.hello.perSecond)} req/s`, String(p.hello.p50Ms), String(p.hello.p99Ms), '—'],
  ],
)}

Baselines around the HTTP run: bare loop ${p.bareRuns.map((b) => `${n0(b.perSecond)}/s`).join(' → ')}, hello-world ${p.helloRuns.map((x) => `${n0(x.perSecond)} req/s`).join(' → ')}.
4 terminals: ${f.errors} errors/timeouts, ${f.non2xx} non-2xx.

${
  imp
    ? table(
        ['import on PostgreSQL', 'rows', 'tickets', 'seconds', 'rows/s', 'vs bare COPY'],
        [
          ['bare COPY of the rows into listings + one INSERT … SELECT of their tickets, one transaction (baseline)', n0(imp.rows), n0(imp.tickets), n2(imp.baselineSeconds), n0(imp.baselineRowsPerSec), '1.00 ×'],
          [`**importListings** (the product's pipeline: parse, validate, stage, publish), ${imp.fileMb} MB file`, n0(imp.rows), n0(imp.tickets), n2(imp.seconds), `**${n0(imp.rowsPerSec)}**`, `**${n2(imp.ratio)} ×**`],
        ],
      )
    : `Import on PostgreSQL: ${'error' in p.import ? p.import.error.split('\n')[0] : ''}`
}
`;
}

/** bench/mainthread-block.ts: how long the window's thread is blocked while reports and an import run. */
function renderMainThread(b: BenchResults['mainThreadBench']): string {
  if (!b || 'error' in b) return renderForeign('Main thread while heavy work runs (issue 3)', b);
  const r = b.result as MainThreadBenchResult;
  const cpu = (x: BlockFigures) => (x.maxOnCpuBetweenBeatsMs === null ? `busy ≤ ${n2(x.maxBusyBetweenBeatsMs)} ms` : n2(x.maxOnCpuBetweenBeatsMs));
  const row = (label: string, x: BlockFigures, extra: string) => [
    label,
    `**${cpu(x)}**`,
    n2(x.loopDelayMaxMs),
    n2(x.heartbeatMaxGapMs),
    n2(x.controlHeartbeatMaxGapMs),
    x.maxRunqueueWaitBetweenBeatsMs === null ? '—' : n2(x.maxRunqueueWaitBetweenBeatsMs),
    `${n2(x.seconds)} s${extra}`,
  ];
  return `## The desktop's main thread while heavy work runs (issue 3)

Measured by \`bench/mainthread-block.ts\` in this run. In the desktop app the store and every operation run on the core
host's worker thread (electron/core/host/); Electron's main thread only checks the sender and relays. The bench drives the
same host from a plain Node main thread with the heaviest calls at benchmark sizes — ${n0(r.reportCalls)} year-long report calls over
${n0(r.orders)} orders, and an import of ${n0(r.importRows)} CSV rows (${n2(r.importMb)} MB, ${n0(r.importTickets.host)} tickets) — and, as the
baseline, makes the same calls on the main thread itself. Budget: no block of the window's thread longer than ${r.budgetMs} ms.

The first column is what the budget is about: the most CPU time the main thread used between two ticks of a 5 ms heartbeat
(Linux schedstat), i.e. the longest it computed without giving its event loop a turn. Loop delay and heartbeat gaps also
count the time the machine did not schedule the thread at all; an idle separate process (the control) shows how much of
that the shared machine caused by itself. (The CSV import section's \`maxEventLoopDelayMs\` is the stall of the thread that runs
the import: in the desktop app that is the core host's worker, not the window's thread.)

${table(
  ['phase', 'main thread: most CPU between beats, ms', 'loop delay max, ms', 'heartbeat worst gap, ms', 'idle control process worst gap, ms', 'run-queue wait max, ms', 'wall time'],
  [
    row('reports through the core host', r.host.reports, `, slowest call ${n2(r.slowestReportMs.host)} ms`),
    row('reports on the main thread (baseline)', r.mainThread.reports, `, slowest call ${n2(r.slowestReportMs.mainThread)} ms`),
    row('import through the core host', r.host.import, ''),
    row('import on the main thread (baseline)', r.mainThread.import, ''),
  ],
)}
`;
}

/** A bench that writes its own section (a `markdown` field), else the generic rendering. */
function renderOwn(title: string, b: BenchResults['importBench']): string {
  if (b && !('error' in b) && typeof (b.result as { markdown?: unknown }).markdown === 'string') return (b.result as { markdown: string }).markdown;
  return renderForeign(title, b);
}

/** The seat-map bench (bench/seatmap-bench.ts) with its baselines beside each figure. */
function renderSeatMap(b: BenchResults['seatmapBench']): string {
  if (!b || 'error' in b) return renderForeign('Seat map in a browser (issue 4)', b);
  const r = b.result as SeatMapBenchResult;
  const st = (x: { p50: number; p95: number; max: number }) => `p50 ${n2(x.p50)} / p95 ${n2(x.p95)} / max ${n2(x.max)} ms`;
  const lt = (x: { count: number; maxMs: number }) => (x.count === 0 ? 'none' : `${x.count}, longest ${n2(x.maxMs)} ms`);
  const f = r.firstDraw;
  return `## Seat map in a browser (issue 4)

Measured by \`bench/seatmap-bench.ts\` in this run: the ${n0(r.seats)}-seat stadium of the demo data, Debian Chromium driven by
Playwright against \`marquee serve\` on 127.0.0.1; each first draw is a full page load.

${table(
  ['figure', 'measured', 'baseline in the same run'],
  [
    ['seat-map response', `${n2(r.seatMapBytes / 1e6)} MB of JSON (columnar: one array per field)`, `bare fetch + JSON.parse from Node: ${st(r.baselines.seatMapFetchMs)}`],
    [
      'time to first draw (navigation → every seat painted)',
      `**${st(f)}** (the app asks for the map at ${n2(f.fetchStartP50Ms)} ms, has it at ${n2(f.fetchDoneP50Ms)} ms)`,
      `bare page, one <rect> per seat: ${st(r.baselines.bareRectsFirstDrawMs)}`,
    ],
    ['long tasks while decoding and drawing', lt(f.drawLongTasks), `bare <rect> page: ${lt(r.baselines.bareRectsLongTasks)}`],
    ['click → seat shows "held by me"', `**${st(r.clickToColourMs)}**, ${r.clickToColourMs.failures} failed`, `the hold request alone: ${st(r.baselines.holdRoundTripMs)}`],
    ['hold by another terminal (HTTP API) → colour changes here', `**${st(r.otherTerminalMs)}**, ${r.otherTerminalMs.failures} failed`, `the API POST alone: ${st(r.baselines.apiHoldPostMs)}`],
    [
      'scripted pan and zoom',
      `${n0(r.pan.frames)} frames in ${n0(r.pan.durationMs)} ms, longest gap ${n2(r.pan.longestGapMs)} ms, p95 ${n2(r.pan.p95GapMs)} ms, long tasks: ${lt(r.pan.longTasks)}`,
      `idle page: ${n0(r.baselines.idleFrames.frames)} frames, longest gap ${n2(r.baselines.idleFrames.longestGapMs)} ms`,
    ],
  ],
)}
${r.errors.length > 0 ? `\nPhases that failed in this run: ${r.errors.join('; ')}\n` : ''}`;
}

/** What makes the report figures above possible; kept beside them so the two are read together. */
const REPORT_INDEXES = `
What gives these figures: reports read summary tables, not the orders. \`report_hourly\` (revenue and order count per UTC
hour, source, channel and currency), \`report_daily\` (per UTC day and key: state/province, country, referral, event, seller,
tender; index \`report_daily_by_key\`) and \`report_customer_totals\` (index \`report_customer_totals_by_cents\`, so top
customers visit spenders in descending order and stop as soon as nobody left can reach the top N). Before each report,
orders above a saved high-water mark are folded in, 5,000 per transaction, so a sale never pays for them; refunds and
voids mark their day for a rebuild through triggers. Whole local days of the range come from the summaries (UTC hours
folded into local days, so any time zone and DST are exact); the partial days at the edges read the orders through
\`orders_by_created\` and \`orders_by_customer_report\`, and partner orders through \`partner_orders_report\` and
\`partner_orders_by_customer_report\`. Tests check that every report gives the same answer from the summaries as from the
orders.
`;

/** The load generator's own CPU per request, when measured: it runs on the same two cores as the server. */
function clientCpu(l: LoadResult): string {
  return l.clientCpuUs === undefined ? '' : `; the load generator (autocannon) used ${n0(l.clientCpuUs)} µs of CPU per request`;
}

function anatomySection(r: BenchResults): string {
  const a = r.anatomy;
  if (!a) return '';
  const total = a.parts.reduce((s, p) => s + p.us, 0);
  return `
One sale on the writer connection, step by step (bench/sale-anatomy.ts: the lane's prepared statements, audit row and
COMMIT under synchronous=FULL, in groups of ${a.groupSize}, each step timed; no messages or promises, so this is the floor under
the lane's figure): ${n0(a.sales)} sales at ${n0(a.perSecond)} sales/s.

${table(
  ['step', 'µs per sale', 'share'],
  [...a.parts.map((p) => [p.step, n2(p.us), pct(p.us / total)]), ['**all steps**', `**${n2(total)}**`, '100 %']],
)}
`;
}

/** The slow COMMITs (mostly WAL checkpoints): how many, and that they do not set the p99. */
function slowCommitNote(r: BenchResults): string {
  const g = r.httpGroups;
  if (g.slowCommits === undefined || g.slowCommitMs === undefined || g.longestCommitMs === undefined) return '';
  return ` During the HTTP sells, ${n0(g.slowCommits)} of the lane's ${n0(g.groups)} COMMITs took over 10 ms (${n0(g.slowCommitMs)} ms in all, the
longest ${n0(g.longestCommitMs)} ms). Those are mostly the COMMITs that also copied the WAL back into the database file (a checkpoint,
every 10,000 pages). They are not what sets the p99: in a probe (3 alternating runs of 8 s each, 800,000 tickets) a separate
thread running the checkpoints removed nearly all slow COMMITs (0–2 instead of 6–8 per run) but left throughput and p99 where
they were (p99 31–41 ms against 32–36 ms). The p99 is set by the mean that Little's law fixes and by how evenly the
requests are served, not by the disk.`;
}

/** Server CPU plus the load generator's, per request, against what two cores can give. */
function cpuBudgetNote(r: BenchResults): string {
  const g = r.httpGroups;
  const client = r.httpSells.clientCpuUs;
  if (client === undefined || r.httpSells.requests === 0) return '';
  const server = (g.cpuMs * 1000) / r.httpSells.requests;
  const cores = Number.parseInt(r.machine.cpu, 10) || 1;
  const cap = (cores * 1e6) / (server + client);
  return `
CPU budget of the HTTP sells: the server process used ${n0(server)} µs of CPU per request and autocannon ${n0(client)} µs, ${n0(server + client)} µs
in all; ${cores} cores give at most ${n0(cap)} requests/s at that cost, and the run reached ${n0(r.httpSells.perSecond)} (${pct(r.httpSells.perSecond / cap)}).
The rest is time when a core had nothing of this run's to do: each request passes through three threads (autocannon, the
serving thread, the lane) that wait for one another, and the machine's other work takes its share.`;
}
