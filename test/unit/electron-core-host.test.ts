// The desktop's core host: the store and every operation run on a worker thread; Electron's main
// thread (here: the test's thread with a fake ipcMain) only checks senders and relays.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId, type Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSenderCheck, registerIpcHandlers, type SenderEvent } from '../../electron/app/ipc-bridge.js';
import { FakeIpcMain } from '../support/fake-ipc-main.js';
import { startCoreHost, type CoreHost, type CoreHostOptions } from '../../electron/core/host/core-host.js';
import { startRestartingCoreHost, type RestartOptions } from '../../electron/core/host/restarting-core-host.js';
import { startWorker } from '../../electron/core/threads/start-worker.js';
import type { CallerRef, CoreClient } from '../../electron/core/host/protocol.js';
import type { SeatChange } from '../../electron/core/store/contract/shapes.js';
import type { HttpServerSettings } from '../../shared/operations/desktop-ops.js';
import { ipcChannel, operations, type OperationName } from '../../shared/operations/index.js';
import { freePort } from '../free-port.js';

// Should anything on this thread open a store, it fails loudly: the worker has its own module graph.
vi.mock('../../electron/core/store/sqlite/database.js', () => ({
  openStore: () => {
    throw new Error('the store was opened on the main thread');
  },
}));


const windowEvent = (id: number): SenderEvent => ({ sender: { id }, senderFrame: { url: 'app://marquee/index.html', parent: null } });
const OWN = [1, 2];

/** Worker threads of this thread, live right now (the diagnostic report lists them). */
const liveWorkers = () => (process.report.getReport() as { workers: unknown[] }).workers.length;


describe('core host behind the IPC bridge', () => {
  let dir: string;
  let host: CoreHost;
  let ipc: FakeIpcMain;
  const relayed: { name: OperationName; caller: CallerRef }[] = [];
  const refused: string[] = [];
  const internal: unknown[] = [];
  const seatChanges: SeatChange[] = [];
  const persisted: HttpServerSettings[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'marquee-core-host-'));
    host = await startCoreHost({
      store: { dataDir: dir },
      version: 'test',
      httpServer: { dataDir: dir, initial: { enabled: false, port: 4310 }, persist: (s) => persisted.push(s) },
      onSeatChange: (c) => seatChanges.push(c),
      // Small, so the brief's CSV crosses in many slices (the default is 1 Mi characters).
      sliceChars: 1024,
    });
    // Counts what reaches the host, to show refused calls never do.
    const counted: CoreClient = {
      invoke: (name, input, caller) => {
        relayed.push({ name, caller });
        return host.invoke(name, input, caller);
      },
    };
    ipc = new FakeIpcMain();
    registerIpcHandlers(ipc, {
      core: counted,
      caller: (e) => ({ kind: 'kiosk', senderId: e.sender.id }),
      isTrustedSender: createSenderCheck((id) => OWN.includes(id)),
      onRefused: (name) => refused.push(name),
      onInternalError: (_name, err) => internal.push(err),
    });
  }, 60_000);

  afterAll(async () => {
    await host?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const signInAdmin = async (window: number) => {
    const admin = host.firstRunAdmin!;
    return ipc.call(windowEvent(window), 'signIn', { username: admin.username, password: admin.password });
  };

  it('runs the core on another thread and registers one handler per operation', () => {
    expect(host.threadId).not.toBe(threadId);
    expect(host.threadId).toBeGreaterThan(0);
    expect([...ipc.handlers.keys()].sort()).toEqual(Object.keys(operations).map((n) => ipcChannel(n as OperationName)).sort());
    // A fresh data dir: the worker created the admin and hands its one-time password to main.
    expect(host.firstRunAdmin).toMatchObject({ username: 'admin', password: expect.any(String) });
  });

  it('a sign-in through the host starts that window’s kiosk session; the idle lock and sign-out end it', async () => {
    expect(await ipc.call(windowEvent(1), 'whoAmI')).toMatchObject({ ok: true, value: { user: null } });
    expect(await ipc.call(windowEvent(1), 'listUsers')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(await signInAdmin(1)).toMatchObject({ ok: true, value: { user: { role: 'admin' } } });
    expect(await ipc.call(windowEvent(1), 'whoAmI')).toMatchObject({ ok: true, value: { user: { username: 'admin' }, via: 'kiosk' } });
    expect(await ipc.call(windowEvent(1), 'listUsers')).toMatchObject({ ok: true });
    // Sessions are per window.
    expect(await ipc.call(windowEvent(2), 'listUsers')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(relayed.at(-1)).toEqual({ name: 'listUsers', caller: { kind: 'kiosk', senderId: 2 } });

    host.lock(1);
    expect(await ipc.call(windowEvent(1), 'listUsers')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    await signInAdmin(1);
    expect(await ipc.call(windowEvent(1), 'signOut')).toMatchObject({ ok: true });
    expect(await ipc.call(windowEvent(1), 'whoAmI')).toMatchObject({ ok: true, value: { user: null } });
  });

  it('errors cross the thread and IPC as data', async () => {
    await signInAdmin(1);
    const missing = await ipc.call(windowEvent(1), 'getEvent', { id: 987654 });
    expect(missing).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'event 987654 does not exist', details: { id: 987654 } } });
    const bad = await ipc.call(windowEvent(1), 'createVenue', { name: '', city: 'Chicago', country: 'US', timezone: 'Mars/Olympus' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(((bad as { ok: false; error: { details: { path: string }[] } }).error.details).map((d) => d.path).sort()).toEqual(['name', 'timezone']);
    expect(internal).toEqual([]);
  });

  it('sells through the worker and forwards the committed seat change to main', async () => {
    await signInAdmin(1);
    const events = (await ipc.call(windowEvent(1), 'searchEvents', { limit: 50 })) as { ok: true; value: { items: { id: number }[] } };
    let ticket: { id: number; priceCents: number } | null = null;
    for (const e of events.value.items) {
      const best = await ipc.call(windowEvent(1), 'bestTicket', { id: e.id, strategy: 'cheapest' });
      if (best.ok) {
        ticket = (best.value as { ticket: { id: number; priceCents: number } }).ticket;
        break;
      }
    }
    expect(ticket).not.toBeNull();
    const sold = await ipc.call(windowEvent(1), 'sellTicket', { id: ticket!.id, payment: { tender: 'cash', tenderedCents: ticket!.priceCents + 500 } });
    expect(sold).toMatchObject({ ok: true, value: { order: { ticketIds: [ticket!.id], changeDueCents: 500 } } });
    const code = (sold as { ok: true; value: { order: { code: string } } }).value.order.code;
    expect(await ipc.call(windowEvent(1), 'getOrder', { code })).toMatchObject({ ok: true, value: { code, channel: 'kiosk' } });
    await vi.waitFor(() => expect(seatChanges).toContainEqual(expect.objectContaining({ ticketIds: [ticket!.id], status: 'sold' })));
    const again = await ipc.call(windowEvent(1), 'sellTicket', { id: ticket!.id });
    expect(again).toMatchObject({ ok: false, error: { code: 'TICKET_UNAVAILABLE' } });
  });

  it('a CSV larger than a slice crosses in pieces and is imported exactly (the brief’s sample: 1,533 rows, 6,341 tickets)', async () => {
    await signInAdmin(1);
    const csv = readFileSync(new URL('../../../shared/data/sampleTickets.csv', import.meta.url), 'utf8');
    expect(csv.length).toBeGreaterThan(10 * 1024);
    const r = await ipc.call(windowEvent(1), 'importTickets', { csv, dryRun: true, fileName: 'sampleTickets.csv' });
    expect(r).toMatchObject({ ok: true, value: { status: 'dry-run', rowsRead: 1533, rowsImported: 1533, rowsRejected: 0, ticketsCreated: 6341 } });
    // The other fields arrive untouched beside the joined text.
    const bad = await ipc.call(windowEvent(1), 'importTickets', { csv, dryRun: true, mode: 'sometimes' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: [{ path: 'mode' }] } });
  });

  it('refuses a foreign sender without reaching the host', async () => {
    const before = relayed.length;
    const foreign: SenderEvent[] = [
      { sender: { id: 1 }, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender: { id: 1 }, senderFrame: { url: 'app://marquee/index.html', parent: {} } },
      { sender: { id: 1 }, senderFrame: null },
      { sender: { id: 99 }, senderFrame: { url: 'app://marquee/index.html', parent: null } },
    ];
    for (const event of foreign) {
      expect(await ipc.call(event, 'listUsers')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { operation: 'listUsers' } } });
    }
    expect(refused).toEqual(['listUsers', 'listUsers', 'listUsers', 'listUsers']);
    expect(relayed.length).toBe(before);
  });

  it('runs the HTTP API in the worker: reachable from here, settings persisted by main', async () => {
    await signInAdmin(1);
    expect(await host.applyHttp()).toMatchObject({ available: true, enabled: false, running: false });
    const port = await freePort();
    const on = await ipc.call(windowEvent(1), 'setHttpServer', { enabled: true, port });
    expect(on).toMatchObject({ ok: true, value: { running: true, port, url: `http://127.0.0.1:${port}/api/v1` } });
    await vi.waitFor(() => expect(persisted).toEqual([{ enabled: true, port }]));
    expect(await (await fetch(`http://127.0.0.1:${port}/api/v1/health`)).json()).toMatchObject({ ok: true, version: 'test', store: { engine: 'sqlite', status: 'up' } });
    expect(await ipc.call(windowEvent(1), 'setHttpServer', { enabled: false, port })).toMatchObject({ ok: true, value: { running: false } });
    await expect(fetch(`http://127.0.0.1:${port}/api/v1/health`)).rejects.toThrow();
  });
});

/** A restarting core host on an empty data dir; every thread it starts is pushed to `workers`, so a test can end one. */
const restartingHost = (dir: string, workers: Worker[], restart: RestartOptions, extra: Partial<CoreHostOptions> = {}) =>
  startRestartingCoreHost(
    {
      store: { dataDir: dir, empty: true },
      version: 'test',
      ...extra,
      startWorker: (url, opts) => {
        const w = startWorker(url, opts);
        workers.push(w);
        return w;
      },
    },
    restart,
  );

describe('core host lifecycle', () => {
  it('shuts down cleanly: the thread ends, later calls answer INTERNAL as data, close is idempotent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-core-host-close-'));
    try {
      const port = await freePort();
      const workersBefore = liveWorkers();
      const host = await startCoreHost({
        store: { dataDir: dir, empty: true },
        version: 'test',
        httpServer: { dataDir: dir, initial: { enabled: true, port }, persist: () => undefined },
      });
      expect(await host.applyHttp()).toMatchObject({ running: true, port });
      expect(liveWorkers()).toBe(workersBefore + 1);
      const whoAmI = await host.invoke('whoAmI', {}, { kind: 'kiosk', senderId: 1 });
      expect(whoAmI.result).toMatchObject({ ok: true, value: { user: null } });

      await host.close();
      await host.close();
      // The HTTP server closed with it, and nothing answers any more.
      await expect(fetch(`http://127.0.0.1:${port}/api/v1/health`)).rejects.toThrow();
      const after = await host.invoke('whoAmI', {}, { kind: 'kiosk', senderId: 1 });
      expect(after.result).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside Marquee; nothing was changed' } });
      expect(after.internal?.message).toMatch(/core host thread exited/);
      await expect(host.applyHttp()).rejects.toThrow(/exited/);
      expect(liveWorkers()).toBe(workersBefore);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('fails to start with the store’s error, and leaves no thread behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-core-host-bad-'));
    try {
      const workersBefore = liveWorkers();
      // A directory where the database file should be: SQLite cannot open it.
      await expect(startCoreHost({ store: { file: dir }, version: 'test' })).rejects.toThrow(/unable to open database file/);
      await vi.waitFor(() => expect(liveWorkers()).toBe(workersBefore));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a core whose thread dies starts again: committed data stays, calls wait for it, kiosk sign-ins end, the HTTP API comes back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-core-host-restart-'));
    const workers: Worker[] = [];
    const restarts: Error[] = [];
    try {
      const port = await freePort();
      const workersBefore = liveWorkers();
      const host = await restartingHost(dir, workers, { onRestart: (err) => restarts.push(err) }, { httpServer: { dataDir: dir, initial: { enabled: true, port }, persist: () => undefined } });
      await host.applyHttp();
      const firstThread = host.threadId;
      const created = await host.invoke('createVenue', { name: 'Crash Hall', city: 'Boise', country: 'US', timezone: 'America/Boise' }, { kind: 'full' });
      expect(created.result.ok).toBe(true);
      const admin = host.firstRunAdmin!;
      expect((await host.invoke('signIn', { username: admin.username, password: admin.password }, { kind: 'kiosk', senderId: 7 })).result.ok).toBe(true);
      expect((await host.invoke('whoAmI', {}, { kind: 'kiosk', senderId: 7 })).result).toMatchObject({ ok: true, value: { user: { username: admin.username } } });

      await workers[0]!.terminate(); // the thread dies under the app
      const venues = await host.invoke('listVenues', {}, { kind: 'full' });
      expect(venues.result).toMatchObject({ ok: true, value: { items: [expect.objectContaining({ name: 'Crash Hall' })] } });
      expect(workers).toHaveLength(2);
      expect(host.threadId).not.toBe(firstThread);
      expect(restarts.map((e) => e.message)).toEqual([expect.stringMatching(/core host thread exited/)]);
      // The sign-in lived in the old thread: the window is signed out (main sends it to its sign-in screen).
      expect((await host.invoke('whoAmI', {}, { kind: 'kiosk', senderId: 7 })).result).toMatchObject({ ok: true, value: { user: null } });
      expect((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).status).toBe(200);

      await host.close();
      await vi.waitFor(() => expect(liveWorkers()).toBe(workersBefore));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('gives up after too many deaths: calls then answer INTERNAL as data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-core-host-giveup-'));
    const workers: Worker[] = [];
    const gaveUp: Error[] = [];
    try {
      const host = await restartingHost(dir, workers, { maxRestarts: 0, onGiveUp: (err) => gaveUp.push(err) });
      await workers[0]!.terminate();
      const after = await host.invoke('whoAmI', {}, { kind: 'kiosk', senderId: 1 });
      expect(after.result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
      expect(workers).toHaveLength(1);
      expect(gaveUp).toHaveLength(1);
      await host.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
