import { describe, expect, it } from 'vitest';
import { answerCall } from '../../electron/core/host/answer.js';
import { FULL_ACCESS } from '../../electron/core/services/dispatch.js';
import type { Store } from '../../electron/core/store/contract/store.js';
import { describePgError } from '../../electron/core/store/postgres/pg-errors.js';

/**
 * The IPC path asks the store to name its own failures, as the HTTP path does: a database out of
 * reach is STORE_UNAVAILABLE (what the UI shows as its banner), not an INTERNAL error. A store that
 * cannot describe an error (or a fake without describeError) still gets INTERNAL.
 */
const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const readerThrowing = (err: Error) => new Proxy({}, { get: () => { throw err; } });
const answer = (store: Partial<Store>) => answerCall({ store: store as Store, channel: 'kiosk', version: 'test' }, async () => FULL_ACCESS, 'listVenues', {});

describe('store errors over IPC', () => {
  it('a lost database is answered STORE_UNAVAILABLE, as data, saying the change was not confirmed', async () => {
    const a = await answer({ reader: readerThrowing(refused) as never, describeError: describePgError });
    expect(a.internal).toBeUndefined();
    expect(a.result).toMatchObject({ ok: false, error: { code: 'STORE_UNAVAILABLE', details: { problem: expect.stringMatching(/refuses connections/) } } });
    expect((a.result as { error: { message: string } }).error.message).toMatch(/not confirmed.*Idempotency-Key/);
  });

  it('a terminal whose every pool connection is busy says so (429, retry after a second), not that the database is gone', async () => {
    const a = await answer({ reader: readerThrowing(new Error('timeout exceeded when trying to connect')) as never, describeError: describePgError });
    expect(a.result).toMatchObject({ ok: false, error: { code: 'TOO_MANY_REQUESTS', details: { retryAfterSeconds: 1 } } });
  });

  it('an error the store does not know, or a store that cannot describe errors, stays INTERNAL', async () => {
    for (const store of [{ reader: readerThrowing(new Error('disk on fire')) as never, describeError: describePgError }, { reader: readerThrowing(refused) as never }]) {
      const a = await answer(store);
      expect(a.result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
      expect(a.internal).toBeDefined();
    }
  });
});
