/**
 * A server in its own process, as in production: `hello` is the Fastify hello-world baseline,
 * `marquee` is the real HTTP API (buildServer → invoke → handlers) over a file store with
 * synchronous=FULL, or over a shared PostgreSQL store when FILE is a postgres:// URL. Talks to the bench over IPC: ready {port}, then answers stats / profile / close.
 */
import { Session } from 'node:inspector/promises';
import { performance as perf } from 'node:perf_hooks';
import Fastify from 'fastify';
import { buildServer } from '../electron/core/http/server.js';
import { ensureAdmin } from '../electron/core/auth/callers.js';
import { attachWriterLane } from '../electron/core/store/sqlite/lane.js';
import { openStore, type SqliteStore as Store } from '../electron/core/store/sqlite/database.js';
import { isPostgresUrl } from '../electron/core/store/postgres/connect.js';
import { openPgStore, type PgStore } from '../electron/core/store/postgres/pg-store.js';
import type { WriterLane } from '../electron/core/store/sqlite/writer-lane.js';
import { BENCH_TOKEN } from './config.js';
import { freePort } from '../test/free-port.js';


type Msg = { type: 'stats' } | { type: 'profile-start' } | { type: 'profile-stop' } | { type: 'close' };


async function main() {
  const mode = process.argv[2];
  const file = process.argv[3];
  const port = await freePort();
  let store: Store | null = null;
  let pgStore: PgStore | null = null;
  let close: () => Promise<void>;
  let commits = 0;
  // Writes those commits carried (a PostgreSQL sell batch is one commit of many sales).
  let committedItems = 0;
  const synchronousSeen = new Set<number>();
  if (mode === 'hello') {
    const app = Fastify({ logger: false });
    app.get('/', async () => ({ hello: 'world' }));
    await app.listen({ port, host: '127.0.0.1' });
    close = () => app.close();
  } else if (mode === 'marquee' && file && isPostgresUrl(file)) {
    // A terminal of a venue on the shared PostgreSQL store: the same buildServer over openPgStore.
    const s = await openPgStore({ url: file, ...(process.env.BENCH_PG_POOL ? { max: Number(process.env.BENCH_PG_POOL) } : {}), applicationName: 'marquee-bench' });
    pgStore = s;
    await ensureAdmin(s, BENCH_TOKEN);
    s.onCommit = (info) => {
      commits++;
      committedItems += info.items;
      synchronousSeen.add(info.synchronous);
    };
    const { app } = buildServer({ ctx: { store: s, version: 'bench' }, token: BENCH_TOKEN, port, logger: false });
    await app.listen({ port, host: '127.0.0.1' });
    close = async () => {
      await app.close();
      await s.close();
    };
  } else if (mode === 'marquee' && file) {
    const windowMs = process.env.BENCH_GROUP_WINDOW_MS ? Number(process.env.BENCH_GROUP_WINDOW_MS) : NaN;
    const maxBatch = process.env.BENCH_MAX_BATCH ? Number(process.env.BENCH_MAX_BATCH) : NaN;
    const groupCommit = { ...(Number.isFinite(windowMs) ? { windowMs } : {}), ...(Number.isFinite(maxBatch) ? { maxBatch } : {}) };
    const s = await openStore({ file, ...(Object.keys(groupCommit).length > 0 ? { groupCommit } : {}) });
    store = s;
    // The box office's own setup (marquee serve): hot writes on the writer lane. BENCH_LANE=0 keeps them on the server thread.
    if (process.env.BENCH_LANE !== '0') await attachWriterLane(s);
    // As marquee serve does: the server token is the admin's first API token, looked up by hash per request.
    await ensureAdmin(s, BENCH_TOKEN);
    s.onCommit = (info) => {
      commits++;
      synchronousSeen.add(info.synchronous);
    };
    const { app } = buildServer({ ctx: { store: s, version: 'bench' }, token: BENCH_TOKEN, port, logger: false });
    await app.listen({ port, host: '127.0.0.1' });
    close = async () => {
      await app.close();
      await s.close();
    };
  } else {
    throw new Error('usage: server-child.ts hello | marquee FILE | marquee postgres://URL');
  }
  const session = new Session();
  process.on('message', (m: Msg) => {
    void (async () => {
      if (m.type === 'stats') {
        const stats = store ? (store.lane ? await (store.lane as WriterLane).stats() : { ...store.group.stats }) : null;
        // Busy time of the serving thread (event-loop utilisation) and CPU of the whole process: what a request costs, whatever the machine's load.
        const elu = perf.eventLoopUtilization();
        const cpu = process.cpuUsage();
        process.send!({ type: 'stats', stats, lane: store !== null && store.lane !== null, engine: pgStore ? 'postgres' : 'sqlite', commits, committedItems, sellLane: pgStore?.sellLaneStats() ?? null, synchronousSeen: [...synchronousSeen], mainActiveMs: elu.active, cpuMs: (cpu.user + cpu.system) / 1000 });
      } else if (m.type === 'profile-start') {
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 200 });
        await session.post('Profiler.start');
        process.send!({ type: 'profile-started' });
      } else if (m.type === 'profile-stop') {
        const { profile } = await session.post('Profiler.stop');
        session.disconnect();
        process.send!({ type: 'profile', profile });
      } else if (m.type === 'close') {
        await close();
        process.send!({ type: 'closed' }, () => process.exit(0));
      }
    })();
  });
  process.send!({ type: 'ready', port });
}

void main();
