import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../electron/core/http/server.js';
import type { OpContext } from '../electron/core/services/context.js';
import { openStore } from '../electron/core/store/sqlite/database.js';
import { openPgStore } from '../electron/core/store/postgres/pg-store.js';
import type { Store } from '../electron/core/store/contract/store.js';
import { seedDemoData } from '../electron/core/seed/demo-data.js';
import { freshPostgresDatabase } from './support/postgres-database.js';

export const SHARED_DATA = new URL('../../shared/data/', import.meta.url);
export const TEST_TOKEN = 'test-token-0123456789';

/**
 * Which engine the shared suites run on: vitest.config.ts runs them once per engine (projects
 * `sqlite` and `postgres`), telling the second with MARQUEE_TEST_ENGINE.
 */
export const testEngine = (): 'sqlite' | 'postgres' => (process.env.MARQUEE_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite');

/**
 * A fresh, empty store of the engine under test, optionally with the demo data: an in-memory SQLite,
 * or a new database on the run's PostgreSQL server (dropped again when the store closes).
 */
export async function memoryStore(opts: { seed?: boolean } = {}): Promise<Store> {
  const store = testEngine() === 'postgres' ? await freshPgStore() : await openStore({ file: ':memory:' });
  if (opts.seed) await seedDemoData(store, new Date('2026-11-21T12:00:00Z'));
  return store;
}

/** A PostgreSQL store on a new database of the shared test server; close() drops the database. */
export async function freshPgStore(prefix = 'store'): Promise<Store> {
  const db = await freshPostgresDatabase(prefix);
  const store = await openPgStore({ url: db.url, max: 8 });
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    await db.drop();
  };
  return store;
}

export const kioskCtx = (store: Store): OpContext => ({ store, channel: 'kiosk', version: 'test' });

export interface TestServer {
  app: FastifyInstance;
  store: Store;
  base: string;
  port: number;
  /** fetch against the server with the test token unless headers say otherwise */
  api: (path: string, init?: RequestInit & { json?: unknown; noAuth?: boolean }) => Promise<Response>;
  close: () => Promise<void>;
}

/** Listens on 127.0.0.1 on a free port. */
export async function startServer(store: Store): Promise<TestServer> {
  const { app } = buildServer({ ctx: { store, version: 'test' }, token: TEST_TOKEN });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  const api: TestServer['api'] = (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (!init.noAuth && !headers.has('authorization')) headers.set('authorization', `Bearer ${TEST_TOKEN}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return fetch(base + path, { ...init, headers, body });
  };
  return { app, store, base, port, api, close: async () => { await app.close(); await store.close(); } };
}
