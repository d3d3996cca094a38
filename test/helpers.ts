import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../electron/core/http/server.js';
import type { OpContext } from '../electron/core/services/context.js';
import { openStore } from '../electron/core/store/sqlite/database.js';
import type { Store } from '../electron/core/store/contract/store.js';
import { seedDemoData } from '../electron/core/seed/demo-data.js';

export const SHARED_DATA = new URL('../../shared/data/', import.meta.url);
export const TEST_TOKEN = 'test-token-0123456789';

/** A fresh in-memory store, optionally with the demo data. */
export async function memoryStore(opts: { seed?: boolean } = {}) {
  const store = await openStore({ file: ':memory:' });
  if (opts.seed) await seedDemoData(store, new Date('2026-11-21T12:00:00Z'));
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
