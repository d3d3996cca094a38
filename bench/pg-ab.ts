/**
 * A/B of a change to the PostgreSQL schema under the HTTP sell storm of pg-bench.ts, for development:
 *
 *   node --import tsx bench/pg-ab.ts --b FILE [--a FILE] [--pairs 6] [--seconds 4]
 *
 * FILE holds SQL statements separated by lines of `;;` (a function body may hold `;`), run on a
 * database after its migrations and data; database A is left as migrated unless --a is given.
 * One PostgreSQL server, one terminal per database, their storms interleaved (A B, B A, A B …).
 * This machine's speed drifts by 10 % and more within minutes (hello-world moves between 48k and
 * 83k req/s), so only storms run side by side can be compared: one run of A, then one of B, showed
 * gains that interleaving does not. Beside each storm's sales per second: the CPU per sale of the
 * terminal's process and of the PostgreSQL server (postmaster and its children, from /proc), which
 * drift less than throughput does.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../test/support/postgres-server.js';
import { startServerChild, type ServerHandle } from './http-load.js';
import { buildDataset, migrateWithAdmin, sellStorm } from './pg-bench.js';

const CLK_TCK = 100;

/** CPU time (ms) of a process from /proc/PID/stat; 0 once it is gone. */
function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** The postmaster's CPU and its children's (backends, WAL writer, checkpointer …), living ones only. */
function serverCpuMs(server: PostgresServer): number {
  const postmaster = Number(readFileSync(join(server.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  let ms = cpuMsOf(postmaster);
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      if (ppid === postmaster) ms += cpuMsOf(Number(d));
    } catch {
      // ended while listed
    }
  }
  return ms;
}

interface Side {
  name: 'A' | 'B';
  terminal: ServerHandle;
  next: number;
  last: number;
  runs: { perSecond: number; p99Ms: number; terminalUs: number; postgresUs: number; bad: number }[];
}

async function side(server: PostgresServer, name: 'A' | 'B', statements: string[], tickets: number): Promise<Side> {
  const url = await server.createDatabase(`ab_${name.toLowerCase()}`);
  await migrateWithAdmin(url);
  const ids = await buildDataset(url, tickets);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (const s of statements) await c.query(s);
  } finally {
    await c.end();
  }
  return { name, terminal: await startServerChild('marquee', url), next: ids.first, last: ids.last, runs: [] };
}

async function storm(server: PostgresServer, s: Side, seconds: number, connections: number) {
  type Stats = { cpuMs: number };
  const t0 = (await s.terminal.request<Stats>({ type: 'stats' }, 'stats')).cpuMs;
  const p0 = serverCpuMs(server);
  const { result: r, sent } = await sellStorm(s.name, s.terminal, { from: s.next, to: s.last }, seconds, connections);
  s.next = sent.to + 1;
  const t1 = (await s.terminal.request<Stats>({ type: 'stats' }, 'stats')).cpuMs;
  const n = Math.max(1, r.requests);
  return { perSecond: r.perSecond, p99Ms: r.p99Ms, terminalUs: ((t1 - t0) * 1000) / n, postgresUs: ((serverCpuMs(server) - p0) * 1000) / n, bad: r.errors + r.non2xx + r.timeouts };
}

const statementsOf = (file: string | undefined) =>
  file
    ? readFileSync(file, 'utf8')
        .split(/^;;\s*$/m)
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const { values } = parseArgs({
    options: { a: { type: 'string' }, b: { type: 'string' }, pairs: { type: 'string', default: '6' }, seconds: { type: 'string', default: '4' }, help: { type: 'boolean' } },
  });
  if (values.help || !values.b) {
    console.log('usage: node --import tsx bench/pg-ab.ts --b FILE [--a FILE] [--pairs 6] [--seconds 4]\n(SQL statements separated by lines of ";;", run after migrations and data)');
    process.exit(values.help ? 0 : 2);
  }
  const pairs = Math.max(1, Math.min(20, Number(values.pairs)));
  const seconds = Math.max(1, Math.min(30, Number(values.seconds)));
  const connections = 80;
  // Read both files before anything starts: a wrong path fails at once.
  const statements = { A: statementsOf(values.a), B: statementsOf(values.b) };
  // Enough distinct tickets for every storm of a side at 20k sales/s, far above what is reached here.
  const tickets = Math.ceil((pairs * seconds + 4) * 20_000 / 500) * 500;
  const server = await startPostgres({ settings: { max_connections: 100, shared_buffers: '256MB', max_wal_size: '4GB', checkpoint_timeout: '30min' } });
  const sides: Side[] = [];
  try {
    process.env.BENCH_PG_POOL = '10';
    sides.push(await side(server, 'A', statements.A, tickets), await side(server, 'B', statements.B, tickets));
    for (const s of sides) await storm(server, s, 2, connections); // JIT and each connection's named statements warm
    for (let i = 0; i < pairs; i++) {
      for (const s of i % 2 === 0 ? sides : [...sides].reverse()) {
        const r = await storm(server, s, seconds, connections);
        s.runs.push(r);
        console.error(`${s.name}: ${r.perSecond.toFixed(0)}/s, p99 ${r.p99Ms} ms, ${r.bad} failed; CPU per sale: terminal ${r.terminalUs.toFixed(1)} µs, PostgreSQL ${r.postgresUs.toFixed(1)} µs`);
      }
    }
    const [a, b] = sides as [Side, Side];
    const m = (s: Side, k: 'perSecond' | 'terminalUs' | 'postgresUs') => median(s.runs.map((r) => r[k]));
    console.log(`| side | sales/s (median of ${pairs}) | terminal CPU µs/sale | PostgreSQL CPU µs/sale | failed |`);
    console.log('| --- | --- | --- | --- | --- |');
    for (const s of sides) console.log(`| ${s.name} | ${m(s, 'perSecond').toFixed(0)} | ${m(s, 'terminalUs').toFixed(1)} | ${m(s, 'postgresUs').toFixed(1)} | ${s.runs.reduce((x, r) => x + r.bad, 0)} |`);
    console.log(`| B ÷ A | ${(m(b, 'perSecond') / m(a, 'perSecond')).toFixed(3)} | ${(m(b, 'terminalUs') / m(a, 'terminalUs')).toFixed(3)} | ${(m(b, 'postgresUs') / m(a, 'postgresUs')).toFixed(3)} | |`);
  } finally {
    for (const s of sides) await s.terminal.close();
    await server.destroy();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
