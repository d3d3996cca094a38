import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipcChannel, type OperationName } from '../../shared/operations/index.js';
import { registerIpcHandlers, type IpcMainLike, type IpcResult, type SenderEvent } from '../../electron/app/ipc-bridge.js';
import { KioskSessions } from '../../electron/core/auth/callers.js';
import { inProcessCore } from '../../electron/core/host/answer.js';
import { ROLE_PIN, buildWorld, type World } from '../integration/support/auth-world.js';
import { rows } from '../support/db.js';

type Listener = (event: SenderEvent, ...args: unknown[]) => Promise<IpcResult>;
const handlers = new Map<string, Listener>();
const ipc: IpcMainLike<SenderEvent> = { handle: (c, l) => void handlers.set(c, l), removeHandler: (c) => void handlers.delete(c) };
const win = (id: number): SenderEvent => ({ sender: { id }, senderFrame: { url: 'app://marquee/index.html', parent: null } });
const call = (id: number, name: OperationName, input: unknown = {}) => handlers.get(ipcChannel(name))!(win(id), input);

/** The Electron kiosk: each window signs in on its own; the idle lock signs it out. */
describe('kiosk sessions over the IPC bridge', () => {
  let w: World;
  let sessions: KioskSessions;
  beforeAll(async () => {
    w = await buildWorld();
    sessions = new KioskSessions(w.store);
    registerIpcHandlers(ipc, {
      core: inProcessCore({ store: w.store, version: 'test' }, sessions),
      isTrustedSender: () => true,
      caller: (e) => ({ kind: 'kiosk', senderId: e.sender.id }),
    });
  });
  afterAll(async () => w.store.close());

  it('starts signed out: public operations only, others are UNAUTHORIZED', async () => {
    expect(await call(1, 'whoAmI')).toMatchObject({ ok: true, value: { user: null } });
    expect(await call(1, 'listOrders')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('a PIN signs this window in as the clerk; the clerk cannot manage users; another window stays signed out', async () => {
    expect(await call(1, 'signIn', { username: 'clerk1', pin: ROLE_PIN })).toMatchObject({ ok: true, value: { user: { role: 'clerk' } } });
    expect(await call(1, 'whoAmI')).toMatchObject({ ok: true, value: { user: { username: 'clerk1' }, via: 'kiosk' } });
    expect(await call(1, 'listOrders')).toMatchObject({ ok: true });
    expect(await call(1, 'listUsers')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call(2, 'listOrders')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const audit = (await rows(w.store, "SELECT username, terminal FROM audit_log WHERE operation = 'signIn' ORDER BY id DESC"))[0];
    expect(audit).toEqual({ username: 'clerk1', terminal: 'kiosk:1' });
  });

  it('the idle lock and sign-out end the window’s session', async () => {
    sessions.lock(1);
    expect(await call(1, 'listOrders')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    await call(1, 'signIn', { username: 'admin1', pin: ROLE_PIN });
    expect(await call(1, 'listUsers')).toMatchObject({ ok: true });
    expect(await call(1, 'signOut')).toMatchObject({ ok: true });
    expect(await call(1, 'listUsers')).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });
});
