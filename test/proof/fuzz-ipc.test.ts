import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipcChannel, operations, type OperationName } from '../../shared/operations/index.js';
import { createSenderCheck, registerIpcHandlers, type IpcResult, type SenderEvent } from '../../electron/app/ipc-bridge.js';
import { FakeIpcMain } from '../support/fake-ipc-main.js';
import { inProcessCore } from '../../electron/core/host/answer.js';
import type { Store } from '../../electron/core/store/contract/store.js';
import { memoryStore } from '../helpers.js';
import { arbitraryFor } from './support/schema-arbitrary.js';
import { changedTables, openJournal, type DbJournal } from './support/db-journal.js';
import { hostileCloneValue, mutate } from './support/hostile.js';
import { LEAK, params, prototypeKeys } from './support/fuzz-config.js';

/**
 * Every operation through the IPC bridge as the renderer would reach it (a structured clone each way, a
 * fake ipcMain and sender): always { ok } data, never INTERNAL, never a stack or SQL, a refused call commits
 * nothing; and only our own top frame passes the sender check.
 */


const APP_WC = 7;
const appEvent: SenderEvent = { sender: { id: APP_WC }, senderFrame: { url: 'app://marquee/index.html', parent: null } };
const names = Object.keys(operations) as OperationName[];

let store: Store;
let journal: DbJournal;
let ipc: FakeIpcMain;
let protoBefore: string[];
const internal: unknown[] = [];
const refusedSenders: string[] = [];

beforeAll(async () => {
  protoBefore = prototypeKeys();
  store = await memoryStore({ seed: true });
  journal = await openJournal(store);
  ipc = new FakeIpcMain();
  registerIpcHandlers(ipc, {
    core: inProcessCore({ store, version: 'test' }),
    isTrustedSender: createSenderCheck((id) => id === APP_WC),
    onRefused: (name) => refusedSenders.push(name),
    onInternalError: (_n, err) => internal.push(err),
  });
});
afterAll(async () => store?.close());

const MAY_WRITE_WHEN_REFUSED: Partial<Record<OperationName, string[]>> = {
  // An import that started keeps its batch as failed (with its audit entry): the history of import attempts.
  importTickets: ['import_batches', 'import_rejected_rows', 'import_staged_rows', 'audit_log'],
};

function show(v: unknown): string {
  try {
    return (JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) ?? String(v)).slice(0, 300);
  } catch {
    return String(v).slice(0, 300);
  }
}

async function call(name: OperationName, input: unknown, extra: unknown[] = []): Promise<IpcResult | undefined> {
  const before = await journal.snapshot();
  const r = await ipc.send(appEvent, ipcChannel(name), input, ...extra);
  if (r === undefined) {
    expect(changedTables(before, await journal.snapshot())).toEqual([]);
    return r;
  }
  const where = `${name}(${show(input)}) → ${show(r)}`;
  expect(typeof r.ok, where).toBe('boolean');
  const text = show(r);
  expect(text, where).not.toMatch(LEAK);
  if (!r.ok) {
    expect(r.error.code, where).not.toBe('INTERNAL');
    expect(typeof r.error.code, where).toBe('string');
    expect(typeof r.error.message, where).toBe('string');
    expect(Object.keys(r.error).every((k) => ['code', 'message', 'details'].includes(k)), where).toBe(true);
    const changed = changedTables(before, await journal.snapshot()).filter((t) => !(MAY_WRITE_WHEN_REFUSED[name] ?? []).includes(t));
    expect(changed, `a refused call committed rows: ${where}`).toEqual([]);
  }
  return r;
}

describe('every operation over IPC', () => {
  it.each(names)('%s: schema-shaped and hostile inputs', async (name) => {
    const valid = arbitraryFor(operations[name].input);
    const input = fc.oneof({ weight: 2, arbitrary: valid }, { weight: 3, arbitrary: mutate(valid, hostileCloneValue) });
    await fc.assert(
      fc.asyncProperty(input, async (v) => {
        await call(name, v);
      }),
      params(12),
    );
    expect(internal.map(String)).toEqual([]);
  });

  it('extra arguments and a missing one change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.array(hostileCloneValue, { maxLength: 3 }), async (name, extra) => {
        await call(name, undefined, extra);
      }),
      params(150),
    );
  });
});

describe('the sender check', () => {
  const url = fc.oneof(
    fc.constantFrom('app://marquee/index.html', 'app://marquee/', 'app://marquee/../index.html', 'app://MARQUEE/index.html', 'app://marquee.evil/index.html', 'app://evil/index.html', 'file:///index.html', 'http://127.0.0.1:4310/', 'https://marquee/', 'devtools://devtools/', 'about:blank', 'data:text/html,x', 'javascript:alert(1)', 'app://marquee@evil.example/', ''),
    fc.webUrl(),
    fc.string(),
  );
  const frame = fc.oneof(fc.constant(null), fc.record({ url, parent: fc.constantFrom<unknown>(null, {}, { url: 'app://marquee/index.html' }) }));
  it('only the top frame of our own window on our own origin may call', async () => {
    const check = createSenderCheck((id) => id === APP_WC);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -1, max: 20 }), frame, fc.constantFrom(...names), async (id, senderFrame, name) => {
        const event = { sender: { id }, senderFrame } as SenderEvent;
        const trusted = check(event);
        if (trusted) {
          expect(id).toBe(APP_WC);
          expect(senderFrame?.parent).toBeNull();
          expect(new URL(senderFrame!.url).origin === 'null' ? senderFrame!.url.startsWith('app://marquee/') : true).toBe(true);
          return;
        }
        const before = await journal.snapshot();
        const refusedBefore = refusedSenders.length;
        const r = await ipc.send(event, ipcChannel(name), {});
        expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        expect(refusedSenders.length).toBe(refusedBefore + 1);
        expect(changedTables(before, await journal.snapshot())).toEqual([]);
      }),
      params(300),
    );
  });
});

describe('after the run', () => {
  it('leaves Object.prototype and friends unpolluted and nothing reached INTERNAL', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(prototypeKeys()).toEqual(protoBefore);
    expect(internal.map(String)).toEqual([]);
  });
});
