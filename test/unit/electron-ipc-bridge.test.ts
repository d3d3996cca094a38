import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ipcChannel, operations, type OperationName } from '../../shared/operations/index.js';
import { createSenderCheck, registerIpcHandlers, type IpcMainLike, type IpcResult, type SenderEvent } from '../../electron/app/ipc-bridge.js';
import { inProcessCore } from '../../electron/core/host/answer.js';
import type { HttpControl } from '../../electron/core/services/context.js';
import type { Store } from '../../electron/core/store/contract/store.js';
import { memoryStore } from '../helpers.js';

type Listener = (event: SenderEvent, ...args: unknown[]) => Promise<IpcResult>;

/** ipcMain as far as the bridge can tell; replies are structured-cloned like Electron's. */
class FakeIpcMain implements IpcMainLike<SenderEvent> {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  async call(event: SenderEvent, name: OperationName, input?: unknown): Promise<IpcResult> {
    const listener = this.handlers.get(ipcChannel(name));
    if (!listener) throw new Error(`no handler for ${name}`);
    return structuredClone(await listener(event, structuredClone(input)));
  }
}

const APP_WC = 7;
const appEvent: SenderEvent = { sender: { id: APP_WC }, senderFrame: { url: 'app://marquee/index.html', parent: null } };
const isTrustedSender = createSenderCheck((id) => id === APP_WC);

let store: Store;
let ipc: FakeIpcMain;
let refused: string[];

beforeEach(async () => {
  store = await memoryStore({ seed: true });
  ipc = new FakeIpcMain();
  refused = [];
  registerIpcHandlers(ipc, { core: inProcessCore({ store, version: 'test' }), isTrustedSender, onRefused: (name) => refused.push(name) });
});
afterEach(async () => {
  await store.close();
});

async function firstEventWithTickets(): Promise<number> {
  const r = await ipc.call(appEvent, 'searchEvents', { limit: 50 });
  if (!r.ok) throw new Error(r.error.message);
  const events = (r.value as { items: { id: number; availableTickets?: number }[] }).items;
  for (const e of events) {
    const best = await ipc.call(appEvent, 'bestTicket', { id: e.id });
    if (best.ok) return e.id;
  }
  throw new Error('the demo data has no event with tickets');
}

describe('IPC bridge', () => {
  it('registers exactly one handler per operation of the table', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(Object.keys(operations).map((n) => ipcChannel(n as OperationName)).sort());
    expect(ipc.handlers.has(ipcChannel('setHttpServer'))).toBe(true);
  });

  it('answers a trusted caller and runs the sell flow', async () => {
    const eventId = await firstEventWithTickets();
    const best = await ipc.call(appEvent, 'bestTicket', { id: eventId, strategy: 'cheapest', quantity: 1 });
    expect(best.ok).toBe(true);
    const ticket = (best as { ok: true; value: { ticket: { id: number; priceCents: number } } }).value.ticket;
    const tendered = ticket.priceCents + 500;
    const sold = await ipc.call(appEvent, 'sellTicket', { id: ticket.id, payment: { tender: 'cash', tenderedCents: tendered } });
    expect(sold).toMatchObject({ ok: true, value: { order: { ticketIds: [ticket.id], tender: 'cash', changeDueCents: 500 } } });
    const code = (sold as { ok: true; value: { order: { code: string } } }).value.order.code;
    const order = await ipc.call(appEvent, 'getOrder', { code });
    // IPC calls are the kiosk's: the order says so.
    expect(order).toMatchObject({ ok: true, value: { code, channel: 'kiosk' } });
  });

  it('validates input in main: bad input is VALIDATION_FAILED data and changes nothing', async () => {
    const before = await ipc.call(appEvent, 'listVenues', {});
    const bad = await ipc.call(appEvent, 'createVenue', { name: '', city: 'Chicago', country: 'US', timezone: 'Mars/Olympus' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.code).toBe('VALIDATION_FAILED');
    const fields = (bad.error.details as { path: string }[]).map((d) => d.path).sort();
    expect(fields).toEqual(['name', 'timezone']);
    expect(await ipc.call(appEvent, 'listVenues', {})).toEqual(before);

    const extra = await ipc.call(appEvent, 'listVenues', { sql: 'DROP TABLE venues' });
    expect(extra).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });

    const eventId = await firstEventWithTickets();
    const best = (await ipc.call(appEvent, 'bestTicket', { id: eventId })) as { ok: true; value: { ticket: { id: number; priceCents: number } } };
    const short = await ipc.call(appEvent, 'sellTicket', { id: best.value.ticket.id, payment: { tender: 'cash', tenderedCents: best.value.ticket.priceCents - 1 } });
    expect(short).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const still = await ipc.call(appEvent, 'bestTicket', { id: eventId });
    expect(still).toMatchObject({ ok: true, value: { ticket: { id: best.value.ticket.id, status: 'available' } } });
  });

  it('sends errors as data with code, message and details', async () => {
    const missing = await ipc.call(appEvent, 'getEvent', { id: 987654 });
    expect(missing).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'event 987654 does not exist', details: { id: 987654 } } });
    const eventId = await firstEventWithTickets();
    const best = (await ipc.call(appEvent, 'bestTicket', { id: eventId })) as { ok: true; value: { ticket: { id: number } } };
    expect((await ipc.call(appEvent, 'sellTicket', { id: best.value.ticket.id })).ok).toBe(true);
    const again = await ipc.call(appEvent, 'sellTicket', { id: best.value.ticket.id });
    expect(again).toMatchObject({ ok: false, error: { code: 'TICKET_UNAVAILABLE', details: { ticketIds: [best.value.ticket.id] } } });
  });

  it('refuses foreign senders without running the operation', async () => {
    const eventId = await firstEventWithTickets();
    const best = (await ipc.call(appEvent, 'bestTicket', { id: eventId })) as { ok: true; value: { ticket: { id: number } } };
    const foreign: SenderEvent[] = [
      { sender: { id: APP_WC }, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender: { id: APP_WC }, senderFrame: { url: 'app://marquee/index.html', parent: {} } },
      { sender: { id: APP_WC }, senderFrame: { url: 'app://other/index.html', parent: null } },
      { sender: { id: APP_WC }, senderFrame: { url: 'file:///etc/passwd', parent: null } },
      { sender: { id: APP_WC }, senderFrame: null },
      { sender: { id: 99 }, senderFrame: { url: 'app://marquee/index.html', parent: null } },
    ];
    for (const event of foreign) {
      const r = await ipc.call(event, 'sellTicket', { id: best.value.ticket.id });
      expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { operation: 'sellTicket' } } });
    }
    expect(refused).toHaveLength(foreign.length);
    expect(await ipc.call(appEvent, 'bestTicket', { id: eventId })).toMatchObject({ ok: true, value: { ticket: { id: best.value.ticket.id } } });
  });

  it('hides unexpected failures behind INTERNAL and reports them to main', async () => {
    const internal: unknown[] = [];
    const broken = new FakeIpcMain();
    const reader = new Proxy({}, { get: () => { throw new Error('disk on fire'); } });
    registerIpcHandlers(broken, {
      core: inProcessCore({ store: { reader } as unknown as Store, version: 'test' }),
      isTrustedSender,
      onInternalError: (_n, err) => internal.push(err),
    });
    const r = await broken.call(appEvent, 'listVenues', {});
    expect(r).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside Marquee; nothing was changed' } });
    expect(String(internal[0])).toContain('disk on fire');
  });

  it('removes every handler it registered', () => {
    const other = new FakeIpcMain();
    const dispose = registerIpcHandlers(other, { core: inProcessCore({ store, version: 'test' }), isTrustedSender });
    expect(other.handlers.size).toBe(Object.keys(operations).length);
    dispose();
    expect(other.handlers.size).toBe(0);
  });
});

describe('HTTP server settings over IPC', () => {
  it('reports unavailable and answers 409 without the desktop capability', async () => {
    expect(await ipc.call(appEvent, 'getHttpServer', {})).toMatchObject({ ok: true, value: { available: false, running: false } });
    const r = await ipc.call(appEvent, 'setHttpServer', { enabled: true, port: 4310 });
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { available: false } } });
  });

  it('validates the settings before the capability sees them', async () => {
    const seen: unknown[] = [];
    const control: HttpControl = {
      status: () => ({ available: true, enabled: false, running: false, port: null, url: null, tokenFile: null, error: null }),
      configure: async (s) => {
        seen.push(s);
        return { available: true, enabled: s.enabled, running: s.enabled, port: s.port, url: null, tokenFile: null, error: null };
      },
    };
    const withControl = new FakeIpcMain();
    registerIpcHandlers(withControl, { core: inProcessCore({ store, version: 'test', httpControl: control }), isTrustedSender });
    expect(await withControl.call(appEvent, 'setHttpServer', { enabled: true, port: 80 })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await withControl.call(appEvent, 'setHttpServer', { enabled: 'yes' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(seen).toEqual([]);
    expect(await withControl.call(appEvent, 'setHttpServer', { enabled: true })).toMatchObject({ ok: true, value: { enabled: true, port: 4310 } });
    expect(seen).toEqual([{ enabled: true, port: 4310 }]);
  });
});
