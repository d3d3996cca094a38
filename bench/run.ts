/**
 * npm run bench — one run, every figure beside a raw baseline measured in the same run, written to
 * bench/RESULTS.md. BENCH_QUICK=1 shrinks sizes and durations for a smoke run; BENCH_* env vars
 * override single knobs (see config.ts). Servers run in child processes on 127.0.0.1, free ports.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import { bareSellLoop, kyselyPerSaleLoop, type LoopResult } from './baselines.js';
import { benchConfig, machine } from './config.js';
import { buildDataset, TicketRanges, type Dataset } from './dataset.js';
import { load, startServerChild, type LoadResult } from './http-load.js';
import { benchPostgres, pgBenchOptions } from './pg-bench.js';
import { summariseProfile, type ProfileSummary } from './profile.js';
import { renderResults, type BenchResults } from './report.js';
import { searchLatency } from './search.js';
import { saleAnatomy } from './sale-anatomy.js';
import { inProcessSells } from './sell-in-process.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const log = (s: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const load1 = () => Math.round(loadavg()[0]! * 100) / 100;

interface ServerStats {
  stats: { groups: number; items: number; commitMs: number; busyMs: number; largestGroup: number; replays: number; longestCommitMs: number; slowCommits: number; slowCommitMs: number };
  lane: boolean;
  synchronousSeen: number[];
  commits: number;
  /** Busy time of the serving thread and CPU time of the whole server process so far. */
  mainActiveMs: number;
  cpuMs: number;
}

/** Checks on the database after the HTTP sell storm: nothing sold twice, every 2xx is an order. */
function checkSales(file: string, range: { from: number; to: number }) {
  const db = new SQLite(file, { readonly: true });
  try {
    const one = (q: string, ...a: unknown[]) => db.prepare(q).pluck().get(...a) as number;
    return {
      soldInRange: one("SELECT count(*) FROM tickets WHERE id BETWEEN ? AND ? AND status = 'sold'", range.from, range.to),
      linesInRange: one('SELECT count(*) FROM order_items WHERE ticket_id BETWEEN ? AND ?', range.from, range.to),
      soldTwice: one('SELECT count(*) FROM (SELECT ticket_id FROM order_items GROUP BY ticket_id HAVING count(*) > 1)'),
    };
  } finally {
    db.close();
  }
}

function scenarioCounts(file: string, eventIds: number[]) {
  const db = new SQLite(file, { readonly: true });
  try {
    const perEvent = eventIds.map((id) => ({
      eventId: id,
      sold: db.prepare("SELECT count(*) FROM tickets WHERE event_id = ? AND status = 'sold'").pluck().get(id) as number,
      lines: db.prepare('SELECT count(*) FROM order_items i JOIN tickets t ON t.id = i.ticket_id WHERE t.event_id = ?').pluck().get(id) as number,
    }));
    return perEvent;
  } finally {
    db.close();
  }
}

/** Two runs of the same baseline as one: rates from the summed counts, the worse p99. */
function mergeLoops(a: LoopResult, b: LoopResult): LoopResult {
  const seconds = a.seconds + b.seconds;
  return { ...a, sales: a.sales + b.sales, seconds, perSecond: (a.sales + b.sales) / seconds, p50Ms: (a.p50Ms + b.p50Ms) / 2, p99Ms: Math.max(a.p99Ms, b.p99Ms) };
}

function mergeLoads(a: LoadResult, b: LoadResult): LoadResult {
  const seconds = a.seconds + b.seconds;
  const statusCodes: Record<string, number> = { ...a.statusCodes };
  for (const [k, v] of Object.entries(b.statusCodes)) statusCodes[k] = (statusCodes[k] ?? 0) + v;
  return {
    ...a,
    seconds,
    requests: a.requests + b.requests,
    perSecond: (a.requests + b.requests) / seconds,
    p50Ms: (a.p50Ms + b.p50Ms) / 2,
    p99Ms: Math.max(a.p99Ms, b.p99Ms),
    maxMs: Math.max(a.maxMs, b.maxMs),
    errors: a.errors + b.errors,
    timeouts: a.timeouts + b.timeouts,
    non2xx: a.non2xx + b.non2xx,
    statusCodes,
    ...(a.clientCpuUs !== undefined && b.clientCpuUs !== undefined
      ? { clientCpuUs: (a.clientCpuUs * a.requests + b.clientCpuUs * b.requests) / Math.max(1, a.requests + b.requests) }
      : {}),
  };
}

/** Other helpers' benches (bench/import-*.ts → benchImport, analytics-*.ts → benchReports, seatmap-*.ts → benchSeatMap), when present. */
async function optionalBench(prefix: string, exportName: string, opts: Record<string, unknown>): Promise<{ file: string; result: unknown } | { file: string; error: string } | null> {
  const file = readdirSync(HERE).find((f) => f.startsWith(prefix) && f.endsWith('.ts') && !f.endsWith('.d.ts'));
  if (!file) return null;
  try {
    const mod = (await import(pathToFileURL(join(HERE, file)).href)) as Record<string, unknown>;
    const fn = mod[exportName];
    if (typeof fn !== 'function') return { file, error: `${file} has no export ${exportName}` };
    // Bounded like every other phase: a bench that hangs is reported, not waited for.
    const limit = Number(process.env.BENCH_FOREIGN_TIMEOUT_S ?? 600);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${file}: ${exportName} did not finish within ${limit} s (BENCH_FOREIGN_TIMEOUT_S)`)), limit * 1000);
    });
    try {
      return { file, result: await Promise.race([(fn as (o: unknown) => Promise<unknown>)(opts), timeout]) };
    } finally {
      clearTimeout(timer);
    }
  } catch (err) {
    return { file, error: String((err as Error).stack ?? err) };
  }
}

/** autocannon against PUT /tickets/:id/sold, each request a fresh ticket of `range`; returns the last id sent. */
async function sellStorm(title: string, server: { base: string }, range: { from: number; to: number }, seconds: number) {
  let next = range.from;
  const result: LoadResult = await load({
    title,
    url: `${server.base}/`,
    connections: benchConfig().connections,
    seconds,
    amount: range.to - range.from + 1,
    method: 'PUT',
    // No body: a card sale at the ticket's price, no customer (the operation's defaults). An empty JSON
    // body ('{}') gives the same sale and about 10 % fewer requests/s (client and server) in a probe.
    auth: true,
    path: () => `/api/v1/tickets/${next++}/sold`,
  });
  return { result, lastId: Math.min(range.to, next - 1) };
}

async function main() {
  const cfg = benchConfig();
  const startedAt = new Date();
  const t0 = performance.now();
  rmSync(cfg.workDir, { recursive: true, force: true });
  mkdirSync(cfg.workDir, { recursive: true });
  const file = join(cfg.workDir, 'bench.sqlite');
  const loads: Record<string, number> = { start: load1() };
  log(`config ${JSON.stringify({ ...cfg, workDir: undefined })}`);

  log(`building ${cfg.catalogTickets} tickets + ${cfg.scenarioEvents} × ${cfg.scenarioQuota} scenario tickets`);
  const ds: Dataset = await buildDataset(file, cfg.catalogTickets, cfg.scenarioEvents, cfg.scenarioQuota);
  log(`dataset built in ${ds.buildSeconds.toFixed(1)} s`);
  const ranges = new TicketRanges(ds);
  const share = (f: number) => Math.floor(ds.catalogTickets * f);

  log('search latency (in-process, bare statements beside)');
  const search = await searchLatency(ds, cfg.searchQueries);
  loads.search = load1();

  // The machine is shared, so each target is bracketed by its baseline (before and after) and
  // compared with the mean of the two: a burst of load elsewhere then weighs on both sides.
  log('baselines: bare better-sqlite3 sell loops');
  const bareRange = ranges.take(share(0.15));
  const bareSlice = (n: number) => ({ from: bareRange.from + Math.floor(((bareRange.to - bareRange.from) * n) / 3), to: bareRange.from + Math.floor(((bareRange.to - bareRange.from) * (n + 1)) / 3) - 1 });
  const bareA = bareSellLoop(file, 'NORMAL', bareSlice(0), cfg.loopSeconds);
  const bareFull = bareSellLoop(file, 'FULL', ranges.take(share(0.04)), cfg.loopSeconds);
  loads.bare = load1();
  log(`  NORMAL ${bareA.perSecond.toFixed(0)}/s, FULL ${bareFull.perSecond.toFixed(0)}/s`);
  const kysely: LoopResult = await kyselyPerSaleLoop(file, ranges.take(share(0.04)), cfg.loopSeconds, cfg.connections);
  log(`  Kysely per-sale transaction ${kysely.perSecond.toFixed(0)}/s`);

  log('in-process sells (invoke → handlers → sell → group commit)');
  const inProcess = await inProcessSells(file, ranges.take(share(0.16)), cfg.inProcessSeconds, cfg.connections);
  loads.inProcess = load1();
  const bareB = bareSellLoop(file, 'NORMAL', bareSlice(1), cfg.loopSeconds);
  const singleClerk = await inProcessSells(file, ranges.take(share(0.01)), Math.min(2, cfg.inProcessSeconds), 1);
  const inProcessHere = await inProcessSells(file, ranges.take(share(0.06)), Math.max(1, Math.round(cfg.inProcessSeconds / 2)), cfg.connections, { lane: false });
  log(`  ${inProcess.perSecond.toFixed(0)}/s (${inProcess.concurrency} in flight), single clerk p50 ${singleClerk.p50Ms.toFixed(2)} ms; bare NORMAL after: ${bareB.perSecond.toFixed(0)}/s`);
  const anatomy = saleAnatomy(file, ranges.take(share(0.04)), Math.min(2, cfg.loopSeconds), 40);
  log(`  one sale's steps on the writer connection: ${anatomy.parts.map((p) => `${p.step} ${p.us.toFixed(1)} µs`).join(', ')}`);

  log('Fastify hello-world baseline');
  const server = await startServerChild('marquee', file);
  const hello = await startServerChild('hello');
  const helloA = await load({ title: 'Fastify hello-world', url: `${hello.base}/`, connections: cfg.connections, seconds: cfg.httpSeconds / 2 });
  loads.hello = load1();
  log(`  ${helloA.perSecond.toFixed(0)} req/s`);

  log('HTTP sells: PUT /api/v1/tickets/:id/sold, distinct tickets');
  const httpRange = ranges.take(share(0.3));
  const statsBefore = await server.request<ServerStats>({ type: 'stats' }, 'stats');
  const { result: httpSells, lastId } = await sellStorm('HTTP sells', server, httpRange, cfg.httpSeconds);
  loads.httpSells = load1();
  const statsAfter = await server.request<ServerStats>({ type: 'stats' }, 'stats');
  const helloB = await load({ title: 'Fastify hello-world', url: `${hello.base}/`, connections: cfg.connections, seconds: cfg.httpSeconds / 2 });
  await hello.close();
  const helloLoad = mergeLoads(helloA, helloB);
  const bareC = bareSellLoop(file, 'NORMAL', bareSlice(2), cfg.loopSeconds);
  const sent = { from: httpRange.from, to: lastId };
  const httpCheck = checkSales(file, sent);
  log(`  ${httpSells.perSecond.toFixed(0)} req/s, p99 ${httpSells.p99Ms} ms, sold ${httpCheck.soldInRange}, sold twice ${httpCheck.soldTwice}`);

  log('HTTP sells with the writer lane off (for comparison)');
  process.env.BENCH_LANE = '0';
  const plainServer = await startServerChild('marquee', file);
  delete process.env.BENCH_LANE;
  const { result: httpSellsHere } = await sellStorm('HTTP sells, no lane', plainServer, ranges.take(share(0.08)), Math.max(1, Math.round(cfg.httpSeconds / 2)));
  await plainServer.close();
  log(`  ${httpSellsHere.perSecond.toFixed(0)} req/s without the lane`);

  log('profile of the HTTP sell path');
  await server.request({ type: 'profile-start' }, 'profile-started');
  const { result: profiledLoad } = await sellStorm('HTTP sells (profiled)', server, ranges.take(Math.min(ranges.remaining, share(0.1))), cfg.profileSeconds);
  const { profile } = await server.request<{ profile: Parameters<typeof summariseProfile>[0] }>({ type: 'profile-stop' }, 'profile');
  const profileSummary: ProfileSummary = summariseProfile(profile);

  log('HTTP search: GET /api/v1/events/:id/tickets');
  let q = 0;
  const httpSearch = await load({
    title: 'HTTP search',
    url: `${server.base}/`,
    connections: cfg.connections,
    seconds: Math.max(1, Math.round(cfg.httpSeconds / 2)),
    auth: true,
    path: () => `/api/v1/events/${1 + ((q++ * 7919) % ds.catalogEvents)}/tickets?sort=price&limit=50`,
  });
  loads.httpSearch = load1();

  log(`the brief's scenario: ${cfg.scenarioEvents} events × ${cfg.scenarioQuota}, POST /api/v1/events/:id/sales until sold out`);
  const quota = cfg.scenarioEvents * cfg.scenarioQuota;
  const extra = cfg.connections * 5;
  let turn = 0;
  const scenarioLoad = await load({
    title: 'on-sale rush',
    url: `${server.base}/`,
    connections: cfg.connections,
    seconds: cfg.quick ? 30 : 120,
    amount: quota + extra,
    method: 'POST',
    body: '{}',
    auth: true,
    path: () => `/api/v1/events/${ds.scenarioEventIds[turn++ % ds.scenarioEventIds.length]}/sales`,
    nth2xx: quota,
  });
  loads.scenario = load1();
  const finalStats = await server.request<{ synchronousSeen: number[]; commits: number; stats: { groups: number } }>({ type: 'stats' }, 'stats');
  await server.close();
  const scenario = scenarioCounts(file, ds.scenarioEventIds);
  log(`  sold out in ${((scenarioLoad.msToNth2xx ?? NaN) / 1000).toFixed(2)} s, sold ${scenario.map((s) => s.sold).join(' + ')}`);

  const integrity = (() => {
    const db = new SQLite(file, { readonly: true });
    try {
      return String(db.pragma('integrity_check', { simple: true }));
    } finally {
      db.close();
    }
  })();

  let postgres: BenchResults['postgres'] = null;
  if (process.env.BENCH_POSTGRES !== '0') {
    log('PostgreSQL: a throwaway server, durable (bench/pg-bench.ts; BENCH_POSTGRES=0 skips)');
    try {
      postgres = await benchPostgres(pgBenchOptions(process.env, (l) => log(`  ${l}`)));
    } catch (err) {
      postgres = { error: String((err as Error).stack ?? err) };
      log(`  PostgreSQL phase failed: ${(err as Error).message}`);
    }
    loads.postgres = load1();
  }

  log('import (bench/import-*.ts)');
  // Sizes keep the whole run within ~5 minutes on 2 cores; the helpers' own defaults (1M) run standalone.
  const importBench = await optionalBench('import-', 'benchImport', { rows: cfg.importRows, log });
  loads.import = load1();
  log('reports (bench/analytics-*.ts)');
  const reportsBench = await optionalBench('analytics-', 'benchReports', {
    orders: cfg.reportOrders,
    runs: cfg.quick ? 2 : 3,
    log,
  });
  loads.reports = load1();
  log('main thread while heavy work runs on the core host (bench/mainthread-*.ts)');
  const mainThreadBench = await optionalBench('mainthread-', 'benchMainThread', { log, orders: cfg.reportOrders, importRows: cfg.importRows });
  log('seat map in a browser (bench/seatmap-*.ts)');
  const seatmapBench = await optionalBench('seatmap-', 'benchSeatMap', { log });
  log('check-ins at the door over HTTP, beside hello-world (bench/checkin-bench.ts)');
  const checkinBench = await optionalBench('checkin-', 'benchCheckIns', { log, connections: cfg.connections, seconds: cfg.quick ? 3 : 10, tickets: Number(process.env.BENCH_CHECKIN_TICKETS ?? (cfg.quick ? 10_000 : 40_000)) });
  loads.checkIns = load1();
  log('fuzz soak (bench/fuzz-soak.ts)');
  const fuzzSoak = await optionalBench('fuzz-', 'benchFuzzSoak', { log, scale: Number(process.env.BENCH_FUZZ_SCALE ?? (cfg.quick ? 1 : 5)), timeoutSeconds: 560 });

  const bareNormal = mergeLoops(bareA, bareB);
  const bareAroundHttp = mergeLoops(bareB, bareC);
  const results: BenchResults = {
    startedAt: startedAt.toISOString(),
    seconds: (performance.now() - t0) / 1000,
    machine: machine(),
    config: cfg,
    loads,
    dataset: ds,
    search,
    bareNormal,
    bareAroundHttp,
    bareRuns: [bareA, bareB, bareC],
    helloRuns: [helloA, helloB],
    bareFull,
    kysely,
    inProcess,
    singleClerk,
    hello: helloLoad,
    httpSells,
    httpGroups: {
      groups: statsAfter.stats.groups - statsBefore.stats.groups,
      items: statsAfter.stats.items - statsBefore.stats.items,
      commitMs: statsAfter.stats.commitMs - statsBefore.stats.commitMs,
      busyMs: statsAfter.stats.busyMs - statsBefore.stats.busyMs,
      largestGroup: statsAfter.stats.largestGroup,
      longestCommitMs: statsAfter.stats.longestCommitMs,
      slowCommits: statsAfter.stats.slowCommits - statsBefore.stats.slowCommits,
      slowCommitMs: statsAfter.stats.slowCommitMs - statsBefore.stats.slowCommitMs,
      replays: statsAfter.stats.replays - statsBefore.stats.replays,
      lane: statsAfter.lane,
      servingActiveMs: statsAfter.mainActiveMs - statsBefore.mainActiveMs,
      cpuMs: statsAfter.cpuMs - statsBefore.cpuMs,
    },
    inProcessHere,
    anatomy,
    httpSellsHere,
    mainThreadBench,
    httpCheck,
    serverCommits: { commits: finalStats.commits, synchronousSeen: finalStats.synchronousSeen },
    profiledLoad,
    profile: profileSummary,
    httpSearch,
    scenario: { load: scenarioLoad, quota, extra, perEvent: scenario },
    integrity,
    postgres,
    importBench,
    reportsBench,
    seatmapBench,
    checkinBench,
    fuzzSoak,
  };
  // Kept (gitignored) so the report can be rendered again without a new run: node --import tsx bench/render-again.ts
  mkdirSync(join(HERE, 'tmp'), { recursive: true });
  writeFileSync(join(HERE, 'tmp', 'last-results.json'), JSON.stringify(results));
  const out = join(HERE, 'RESULTS.md');
  writeFileSync(out, renderResults(results));
  log(`wrote ${out} in ${results.seconds.toFixed(0)} s`);
  if (!process.env.BENCH_DIR && existsSync(cfg.workDir)) rmSync(cfg.workDir, { recursive: true, force: true });
  // A foreign bench that timed out may still hold children (a browser); the run is over.
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
