// Issue 3: no synchronous store call may block the thread that runs the windows for more than ~50 ms.
// From a plain Node main thread (Electron main stands in for it), drives the heaviest calls at bench
// sizes — the year-long sales reports over 1,000,000 orders and a 1,000,000-row CSV import —
// through the core host (store on a worker thread, as the desktop app runs it), then the same calls
// on the main thread itself (the baseline: how main ran before the core host), and measures this
// thread's longest event-loop block meanwhile: perf_hooks' monitorEventLoopDelay max and the worst
// gap of a 5 ms setInterval heartbeat. Both include OS scheduling on a busy machine, so an idle
// control process beats alongside: its worst gap in the same phase is the machine's own stall.
// Runnable alone: node --import tsx bench/mainthread-block.ts [orders] [importRows]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openDataDir } from '../electron/core/boot.js';
import { inProcessCore } from '../electron/core/host/answer.js';
import { startCoreHost, type CoreHost } from '../electron/core/host/core-host.js';
import type { CoreClient } from '../electron/core/host/protocol.js';
import { openStore } from '../electron/core/store/sqlite/database.js';
import type { OperationName } from '../shared/operations/index.js';
import { ensureReportsDataset } from './analytics-reports.js';
import { writeBenchCsv } from './import-bench.js';

export interface MainThreadBenchOptions {
  log?: (s: string) => void;
  /** Orders in the reports dataset (default 1,000,000; bench/tmp caches it, shared with analytics-reports.ts). */
  orders?: number;
  /** Rows of the imported CSV (default 1,000,000). */
  importRows?: number;
}

/** How long this thread's event loop was blocked while one phase ran. */
export interface BlockFigures {
  /** Wall time of the phase. */
  seconds: number;
  /** monitorEventLoopDelay max (resolution 5 ms). */
  loopDelayMaxMs: number;
  /** Worst gap between two ticks of a 5 ms heartbeat, minus the 5 ms. */
  heartbeatMaxGapMs: number;
  /** When that worst gap ended, in seconds from the start of the phase. */
  worstGapAtSeconds: number;
  /**
   * The most this thread was busy (event-loop utilization: not waiting for I/O or timers) between two
   * heartbeats. A gap much longer than this was the OS not scheduling the thread, not work on it.
   */
  maxBusyBetweenBeatsMs: number;
  /** This thread's busy time over the whole phase. */
  busyMs: number;
  /**
   * Linux: the most CPU time this thread used between two heartbeats (/proc schedstat, ns precision):
   * how long it really computed without giving the loop a turn, whatever else the machine did. Null
   * where schedstat is missing.
   */
  maxOnCpuBetweenBeatsMs: number | null;
  /** Linux: the longest this thread waited, runnable, for a CPU between two heartbeats. */
  maxRunqueueWaitBetweenBeatsMs: number | null;
  /** The worst heartbeat gap of an idle separate process during the phase: the machine's stalls. */
  controlHeartbeatMaxGapMs: number;
}

export interface MainThreadBenchResult {
  orders: number;
  importRows: number;
  importMb: number;
  /** Report calls in each reports phase (every year-long report, `runs` times each). */
  reportCalls: number;
  /** The slowest single report call as the caller saw it (ms), through the host and on the main thread. */
  slowestReportMs: { host: number; mainThread: number };
  /** Tickets created by each import (the two must agree). */
  importTickets: { host: number; mainThread: number };
  host: { reports: BlockFigures; import: BlockFigures };
  mainThread: { reports: BlockFigures; import: BlockFigures };
  /** The issue's budget for one block of the window's thread. */
  budgetMs: 50;
}

const RUNS = 3;
const YEAR = { from: '2026-01-01', to: '2026-12-31', tz: 'America/Chicago' };
/** The year-long reports of bench/analytics-reports.ts, as the Dashboard asks for them. */
const REPORTS: [OperationName, Record<string, unknown>][] = [
  ['reportEventSales', YEAR],
  ['reportRevenue', { ...YEAR, granularity: 'day' }],
  ['reportRevenue', { ...YEAR, granularity: 'month' }],
  ['reportSalesByRegion', { ...YEAR, level: 'region' }],
  ['reportSalesByRegion', { ...YEAR, level: 'country' }],
  ['reportSalesByReferral', YEAR],
  ['reportTopCustomers', { ...YEAR, limit: 10 }],
  ['reportSellerSales', YEAR],
  ['reportShift', YEAR],
];

const CONTROL = `
let last = performance.now(), worst = 0;
setInterval(() => { const now = performance.now(); worst = Math.max(worst, now - last - 5); last = now; }, 5);
process.on('message', (m) => { if (m === 'stop') process.send(worst); worst = 0; last = performance.now(); });
process.on('disconnect', () => process.exit(0));
`;

/** This (main) thread's on-CPU and run-queue-wait nanoseconds so far; null off Linux. */
function schedstat(): [number, number] | null {
  try {
    const [onCpu, waited] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
    return onCpu !== undefined && waited !== undefined ? [onCpu, waited] : null;
  } catch {
    return null;
  }
}

type Control = { child: ChildProcess; reset: () => void; worst: () => Promise<number> };

/** An idle process with the same heartbeat: `reset()` starts a phase, `worst()` ends it. */
function startControl(): Control {
  const child = spawn(process.execPath, ['-e', CONTROL], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return {
    child,
    reset: () => void child.send('reset'),
    worst: () =>
      new Promise<number>((resolve) => {
        child.once('message', (m) => resolve(Number(m)));
        child.send('stop');
      }),
  };
}

/** Runs `work` while watching this thread's event loop (and the control process's). */
async function watched<T>(control: Control, work: () => Promise<T>): Promise<{ value: T; figures: BlockFigures }> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  let last = performance.now();
  let worstGap = 0;
  let worstAt = 0;
  let t0 = 0;
  let maxBusy = 0;
  let eluBeat = performance.eventLoopUtilization();
  let schedBeat = schedstat();
  let maxOnCpu = 0;
  let maxWait = 0;
  const heartbeat = setInterval(() => {
    const now = performance.now();
    const sched = schedstat();
    if (t0 > 0 && sched && schedBeat) {
      maxOnCpu = Math.max(maxOnCpu, (sched[0] - schedBeat[0]) / 1e6);
      maxWait = Math.max(maxWait, (sched[1] - schedBeat[1]) / 1e6);
    }
    schedBeat = sched;
    const elu = performance.eventLoopUtilization();
    if (t0 > 0) maxBusy = Math.max(maxBusy, performance.eventLoopUtilization(elu, eluBeat).active);
    eluBeat = elu;
    if (now - last - 5 > worstGap && t0 > 0) {
      worstGap = now - last - 5;
      worstAt = now - t0;
    }
    last = now;
  }, 5);
  delay.enable();
  // The histogram drops its first sample: let it take one before the work starts.
  await new Promise((r) => setTimeout(r, 20));
  t0 = performance.now();
  control.reset();
  const eluStart = performance.eventLoopUtilization();
  try {
    const value = await work();
    const seconds = (performance.now() - t0) / 1000;
    const busyMs = performance.eventLoopUtilization(performance.eventLoopUtilization(), eluStart).active;
    // One more beat, so a block at the very end is counted too.
    await new Promise((r) => setTimeout(r, 10));
    const controlGap = await control.worst();
    return {
      value,
      figures: {
        seconds: Math.round(seconds * 100) / 100,
        loopDelayMaxMs: Math.round(delay.max / 1e5) / 10,
        heartbeatMaxGapMs: Math.round(Math.max(0, worstGap) * 10) / 10,
        worstGapAtSeconds: Math.round(worstAt / 10) / 100,
        maxBusyBetweenBeatsMs: Math.round(maxBusy * 10) / 10,
        busyMs: Math.round(busyMs),
        maxOnCpuBetweenBeatsMs: schedBeat ? Math.round(maxOnCpu * 10) / 10 : null,
        maxRunqueueWaitBetweenBeatsMs: schedBeat ? Math.round(maxWait * 10) / 10 : null,
        controlHeartbeatMaxGapMs: Math.round(Math.max(0, controlGap) * 10) / 10,
      },
    };
  } finally {
    delay.disable();
    clearInterval(heartbeat);
  }
}

async function call(core: CoreClient, name: OperationName, input: unknown): Promise<unknown> {
  const { result, internal } = await core.invoke(name, input, { kind: 'full' });
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}${internal ? ` (${internal.message})` : ''}`);
  return result.value;
}

async function reportsPhase(control: Control, core: CoreClient): Promise<{ figures: BlockFigures; slowestMs: number }> {
  // Warm-up outside the measurement: statements prepared, pages cached, rollups caught up.
  for (const [name, input] of REPORTS) await call(core, name, input);
  let slowestMs = 0;
  const { figures } = await watched(control, async () => {
    for (let i = 0; i < RUNS; i++) {
      for (const [name, input] of REPORTS) {
        const t = performance.now();
        await call(core, name, input);
        slowestMs = Math.max(slowestMs, performance.now() - t);
        // Separate calls, as separate IPC messages would be: an in-process answer resolves in
        // microtasks, and back-to-back calls would otherwise never give the loop a turn.
        await new Promise((r) => setImmediate(r));
      }
    }
  });
  return { figures, slowestMs: Math.round(slowestMs * 10) / 10 };
}

async function importPhase(control: Control, core: CoreClient, csv: string): Promise<{ figures: BlockFigures; tickets: number }> {
  const { value, figures } = await watched(control, () => call(core, 'importTickets', { csv, fileName: 'bench.csv', force: true }));
  const report = value as { status: string; rowsRejected: number; ticketsCreated: number; message?: string };
  if (report.status !== 'completed' || report.rowsRejected !== 0) throw new Error(`bench import failed: ${report.status} ${report.message ?? ''}`);
  return { figures, tickets: report.ticketsCreated };
}

export async function benchMainThread(opts: MainThreadBenchOptions = {}): Promise<MainThreadBenchResult> {
  const orders = opts.orders ?? 1_000_000;
  const importRows = opts.importRows ?? 1_000_000;
  const log = opts.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'marquee-mainthread-bench-'));
  const hosts: CoreHost[] = [];
  const stores: { close(): Promise<void> }[] = [];
  const control = startControl();
  try {
    const { file } = await ensureReportsDataset({ orders, log });
    const csvFile = join(dir, 'listings.csv');
    await writeBenchCsv(csvFile, importRows);
    // The text the Import screen sends: one string (the IPC path has no file handle).
    const csv = readFileSync(csvFile, 'utf8');
    const importMb = Math.round((Buffer.byteLength(csv) / 1048576) * 10) / 10;
    log(`main-thread bench: ${orders} orders in ${file}; import ${importRows} rows (${importMb} MB)`);

    const reportsHost = await startCoreHost({ store: { file }, version: 'bench' });
    hosts.push(reportsHost);
    const hostReports = await reportsPhase(control, reportsHost);
    await reportsHost.close();
    log(`  reports through the core host: block ${hostReports.figures.loopDelayMaxMs} ms (heartbeat ${hostReports.figures.heartbeatMaxGapMs} ms; idle control process ${hostReports.figures.controlHeartbeatMaxGapMs} ms; on CPU at most ${hostReports.figures.maxOnCpuBetweenBeatsMs} ms between beats), slowest call ${hostReports.slowestMs} ms`);

    const reportsStore = await openStore({ file });
    stores.push(reportsStore);
    const mainReports = await reportsPhase(control, inProcessCore({ store: reportsStore, version: 'bench' }));
    await reportsStore.close();
    log(`  reports on the main thread:    block ${mainReports.figures.loopDelayMaxMs} ms (heartbeat ${mainReports.figures.heartbeatMaxGapMs} ms; idle control process ${mainReports.figures.controlHeartbeatMaxGapMs} ms; on CPU at most ${mainReports.figures.maxOnCpuBetweenBeatsMs} ms between beats), slowest call ${mainReports.slowestMs} ms`);

    const importHost = await startCoreHost({ store: { dataDir: join(dir, 'host') }, version: 'bench' });
    hosts.push(importHost);
    const hostImport = await importPhase(control, importHost, csv);
    await importHost.close();
    log(`  import through the core host:  block ${hostImport.figures.loopDelayMaxMs} ms (heartbeat ${hostImport.figures.heartbeatMaxGapMs} ms; idle control process ${hostImport.figures.controlHeartbeatMaxGapMs} ms; on CPU at most ${hostImport.figures.maxOnCpuBetweenBeatsMs} ms between beats), ${hostImport.figures.seconds} s`);

    const { store: importStore } = await openDataDir(join(dir, 'main'));
    stores.push(importStore);
    const mainImport = await importPhase(control, inProcessCore({ store: importStore, version: 'bench' }), csv);
    await importStore.close();
    log(`  import on the main thread:     block ${mainImport.figures.loopDelayMaxMs} ms (heartbeat ${mainImport.figures.heartbeatMaxGapMs} ms; idle control process ${mainImport.figures.controlHeartbeatMaxGapMs} ms; on CPU at most ${mainImport.figures.maxOnCpuBetweenBeatsMs} ms between beats), ${mainImport.figures.seconds} s`);

    return {
      orders,
      importRows,
      importMb,
      reportCalls: RUNS * REPORTS.length,
      slowestReportMs: { host: hostReports.slowestMs, mainThread: mainReports.slowestMs },
      importTickets: { host: hostImport.tickets, mainThread: mainImport.tickets },
      host: { reports: hostReports.figures, import: hostImport.figures },
      mainThread: { reports: mainReports.figures, import: mainImport.figures },
      budgetMs: 50,
    };
  } finally {
    // Closing twice is harmless; on failure this is what ends the threads and connections.
    await Promise.all(hosts.map((h) => h.close().catch(() => undefined)));
    await Promise.all(stores.map((s) => s.close().catch(() => undefined)));
    control.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [orders, importRows] = process.argv.slice(2).map(Number);
  const result = await benchMainThread({ orders: orders || undefined, importRows: importRows || undefined, log: (s) => console.log(s) });
  console.log(JSON.stringify(result, null, 2));
}
