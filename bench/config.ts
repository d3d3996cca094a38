import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

/** Sizes and durations; BENCH_QUICK=1 shrinks everything for a smoke run. */
export interface BenchConfig {
  quick: boolean;
  /** Tickets in the dataset: search runs on all of them first (the brief asks for ≥ 1M), then the sell phases take disjoint id ranges. */
  catalogTickets: number;
  /** Events × tickets of the brief's on-sale scenario. */
  scenarioEvents: number;
  scenarioQuota: number;
  /** Seconds per bare-loop baseline. */
  loopSeconds: number;
  /** Seconds of in-process sells. */
  inProcessSeconds: number;
  /** autocannon connections and seconds (the brief's load test: 80 × 10 s). */
  connections: number;
  httpSeconds: number;
  /** Seconds of CPU profile taken after the HTTP sell run. */
  profileSeconds: number;
  /** Queries per search kind. */
  searchQueries: number;
  /** Rows for bench/import-*.ts (benchImport). */
  importRows: number;
  /** Orders for bench/analytics-*.ts (benchReports). */
  reportOrders: number;
  workDir: string;
}

export function benchConfig(env = process.env): BenchConfig {
  const quick = env.BENCH_QUICK === '1';
  const num = (name: string, full: number, small: number) => {
    const v = env[name];
    return v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : quick ? small : full;
  };
  return {
    quick,
    catalogTickets: num('BENCH_CATALOG_TICKETS', 1_600_000, 150_000),
    scenarioEvents: 4,
    scenarioQuota: num('BENCH_SCENARIO_QUOTA', 10_000, 1_000),
    loopSeconds: num('BENCH_LOOP_SECONDS', 3, 1),
    inProcessSeconds: num('BENCH_INPROCESS_SECONDS', 5, 1),
    connections: num('BENCH_CONNECTIONS', 80, 80),
    httpSeconds: num('BENCH_HTTP_SECONDS', 10, 2),
    profileSeconds: num('BENCH_PROFILE_SECONDS', 3, 1),
    searchQueries: num('BENCH_SEARCH_QUERIES', 300, 50),
    importRows: num('BENCH_IMPORT_ROWS', 1_000_000, 10_000),
    reportOrders: num('BENCH_REPORT_ORDERS', 1_000_000, 10_000),
    workDir: env.BENCH_DIR ?? join(tmpdir(), `marquee-bench-${process.pid}`),
  };
}

export function machine() {
  const c = cpus();
  return {
    cpu: `${c.length} × ${c[0]?.model ?? 'unknown CPU'}`,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** The API token the bench's server child accepts. */
export const BENCH_TOKEN = 'bench-token-0123456789abcdef';
