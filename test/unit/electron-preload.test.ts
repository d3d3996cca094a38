import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ipcChannel, operationNames, operations, type MarqueeClient } from '../../shared/operations/index.js';
import { IDLE_LOCK_CHANNEL, SEAT_CHANGE_CHANNEL } from '../../electron/app/app-origin.js';
import { createSenderCheck, registerIpcHandlers, type IpcResult, type SenderEvent } from '../../electron/app/ipc-bridge.js';
import { inProcessCore } from '../../electron/core/host/answer.js';
import {
  MarqueeError,
  createMarqueeClient,
  createMarqueeEvents,
  exposeApi,
  type BridgedError,
  type ContextBridgeLike,
  type IpcRendererLike,
  type MarqueeEvents,
} from '../../electron/app/preload-client.js';
import type { Store } from '../../electron/core/store/contract/store.js';
import { memoryStore } from '../helpers.js';

class FakeContextBridge implements ContextBridgeLike {
  readonly exposed: Record<string, unknown> = {};
  exposeInMainWorld(key: string, api: unknown) {
    if (key in this.exposed) throw new Error(`${key} exposed twice`);
    this.exposed[key] = api;
  }
}

class FakeIpcRenderer implements IpcRendererLike {
  readonly calls: { channel: string; args: unknown[] }[] = [];
  readonly listeners = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>();
  constructor(private readonly reply: (channel: string, input: unknown) => Promise<unknown>) {}
  invoke(channel: string, ...args: unknown[]) {
    this.calls.push({ channel, args });
    return this.reply(channel, args[0]);
  }
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
    return this;
  }
  emit(channel: string, ...args: unknown[]) {
    for (const l of this.listeners.get(channel) ?? []) l({}, ...args);
  }
}

const sorted = (xs: string[]) => [...xs].sort();

describe('preload surface', () => {
  it('exposes one function per operation on window.marquee, the idle subscription, and nothing else', () => {
    const bridge = new FakeContextBridge();
    const ipc = new FakeIpcRenderer(async () => ({ ok: true, value: null }));
    exposeApi(bridge, ipc, () => undefined);
    expect(sorted(Object.keys(bridge.exposed))).toEqual(['marquee', 'marqueeEvents']);
    const marquee = bridge.exposed.marquee as Record<string, unknown>;
    expect(sorted(Object.keys(marquee))).toEqual(sorted(Object.keys(operations)));
    for (const name of operationNames) expect(typeof marquee[name]).toBe('function');
    expect(Object.isFrozen(marquee)).toBe(true);
    expect(sorted(Object.keys(bridge.exposed.marqueeEvents as object))).toEqual(['onIdleLock', 'onSeatChange']);
    // Nothing that could reach ipcRenderer itself.
    const reachable = JSON.stringify(Object.keys(marquee)) + JSON.stringify(Object.keys(bridge.exposed.marqueeEvents as object));
    expect(reachable).not.toMatch(/ipc|invoke|send|require/i);
  });

  it('calls the operation’s channel with the input and returns the value', async () => {
    const ipc = new FakeIpcRenderer(async (channel, input) => ({ ok: true, value: { channel, input } }));
    const client = createMarqueeClient(ipc);
    await expect(client.getEvent({ id: 5 })).resolves.toEqual({ channel: ipcChannel('getEvent'), input: { id: 5 } });
    expect(ipc.calls).toEqual([{ channel: 'marquee:getEvent', args: [{ id: 5 }] }]);
  });

  it('turns error data back into a thrown error with code, message and details', async () => {
    const ipc = new FakeIpcRenderer(async () => ({ ok: false, error: { code: 'TICKET_UNAVAILABLE', message: 'gone', details: { ticketIds: [3] } } }));
    const err = await createMarqueeClient(ipc).sellTicket({ id: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MarqueeError);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: 'TICKET_UNAVAILABLE', message: 'gone', details: { ticketIds: [3] }, status: 409 });
  });

  it('treats a malformed reply as INTERNAL rather than as a value', async () => {
    const ipc = new FakeIpcRenderer(async () => ({ items: [] }));
    await expect(createMarqueeClient(ipc).listVenues({})).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('rejects across the bridge with plain data, since contextBridge drops custom Error fields', async () => {
    const bridge = new FakeContextBridge();
    exposeApi(bridge, new FakeIpcRenderer(async () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'event 9 does not exist', details: { id: 9 } } })), () => undefined);
    const reason = await (bridge.exposed.marquee as MarqueeClient).getEvent({ id: 9 }).catch((e: unknown) => e);
    const expected: BridgedError = { name: 'MarqueeError', code: 'NOT_FOUND', message: 'event 9 does not exist', details: { id: 9 }, status: 404 };
    expect(reason).toEqual(expected);
    // What the page receives is what survives the copy between worlds.
    expect(structuredClone(reason)).toEqual(expected);
  });
});

describe('preload client against the real bridge', () => {
  let store: Store;
  let client: MarqueeClient;
  const event: SenderEvent = { sender: { id: 1 }, senderFrame: { url: 'app://marquee/index.html', parent: null } };

  beforeEach(async () => {
    store = await memoryStore({ seed: true });
    const handlers = new Map<string, (e: SenderEvent, input: unknown) => Promise<IpcResult>>();
    registerIpcHandlers({ handle: (c, l) => void handlers.set(c, l), removeHandler: (c) => void handlers.delete(c) }, {
      core: inProcessCore({ store, version: 'test' }),
      isTrustedSender: createSenderCheck((id) => id === 1),
    });
    // structuredClone both ways: what Electron's IPC does to arguments and replies.
    const ipc = new FakeIpcRenderer(async (channel, input) => structuredClone(await handlers.get(channel)!(event, structuredClone(input))));
    client = createMarqueeClient(ipc);
  });
  afterEach(async () => {
    await store.close();
  });

  it('works end to end and rejects bad input with VALIDATION_FAILED', async () => {
    const { items } = await client.searchEvents({ limit: 5 });
    expect(items.length).toBeGreaterThan(0);
    await expect(client.getEvent({ id: items[0]!.id })).resolves.toMatchObject({ id: items[0]!.id });
    const err = await client.createVenue({ name: 'X', city: 'Y', country: 'Z', timezone: 'Nowhere/Nope' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'timezone' }] });
    expect((await client.listVenues({})).items.some((v) => v.name === 'X')).toBe(false);
  });
});

describe('marqueeEvents.onIdleLock', () => {
  let ipc: FakeIpcRenderer;
  let fallbacks: number;
  let events: MarqueeEvents;

  beforeEach(() => {
    ipc = new FakeIpcRenderer(async () => null);
    fallbacks = 0;
    events = createMarqueeEvents(ipc, () => fallbacks++);
  });

  it('calls subscribers, and stops after unsubscribe', () => {
    const seen: string[] = [];
    const offA = events.onIdleLock(() => seen.push('a'));
    events.onIdleLock(() => seen.push('b'));
    ipc.emit(IDLE_LOCK_CHANNEL);
    offA();
    ipc.emit(IDLE_LOCK_CHANNEL);
    expect(seen).toEqual(['a', 'b', 'b']);
    expect(fallbacks).toBe(0);
  });

  it('falls back (back to the start URL) when the page does not listen', () => {
    const off = events.onIdleLock(() => undefined);
    off();
    ipc.emit(IDLE_LOCK_CHANNEL);
    expect(fallbacks).toBe(1);
  });

  it('ignores other channels and refuses a non-function', () => {
    ipc.emit('marquee-event:something-else');
    expect(fallbacks).toBe(0);
    expect(() => events.onIdleLock('not a function' as unknown as () => void)).toThrow(TypeError);
  });
});

describe('marqueeEvents.onSeatChange', () => {
  it('passes seat changes pushed from main to subscribers, drops malformed ones, and stops after unsubscribe', () => {
    const ipc = new FakeIpcRenderer(async () => null);
    const events = createMarqueeEvents(ipc, () => undefined);
    const seen: unknown[] = [];
    const off = events.onSeatChange((c) => seen.push(c));
    const change = { eventId: 7, ticketIds: [1, 2], status: 'held', holder: 'kiosk', expiresAt: '2026-11-21T12:05:00.000Z' };
    ipc.emit(SEAT_CHANGE_CHANNEL, change);
    ipc.emit(SEAT_CHANGE_CHANNEL, { nonsense: true });
    ipc.emit(SEAT_CHANGE_CHANNEL);
    off();
    ipc.emit(SEAT_CHANGE_CHANNEL, change);
    expect(seen).toEqual([change]);
    expect(() => events.onSeatChange('x' as unknown as () => void)).toThrow(TypeError);
  });
});
