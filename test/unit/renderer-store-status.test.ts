import { describe, expect, it } from 'vitest';
import type { MarqueeClient } from '../../shared/operations/index.js';
import { operationNames } from '../../shared/operations/index.js';
import { ClientError } from '../../renderer/src/client/client-error.js';
import { createHttpClient } from '../../renderer/src/client/http-client.js';
import { watchStore } from '../../renderer/src/client/store-status.js';
import { plainError } from '../../renderer/src/components/error-notice.js';
import { sentence } from '../../renderer/src/components/store-banner.js';

const STORE_DOWN = {
  error: {
    code: 'STORE_UNAVAILABLE',
    message: 'The box office cannot reach its database (the database server refuses connections: it is stopped or restarting). The change was not confirmed',
    details: { problem: 'the database server refuses connections: it is stopped or restarting' },
  },
};

/** An HTTP client whose every request answers `status` with `body` (the transport the banner sees in browser mode). */
function clientAnswering(status: number, body: unknown): MarqueeClient {
  return createHttpClient({ fetch: (async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })) as typeof fetch });
}

describe('watchStore: every call of the derived client, STORE_UNAVAILABLE noticed on the way (issue 15 banner)', () => {
  it('keeps every operation of the table and passes answers through unchanged', async () => {
    const w = watchStore(clientAnswering(200, { ok: true, version: '0.1.0', store: { engine: 'postgres', status: 'up', problem: null, schemaVersion: 'x' } }));
    expect(Object.keys(w.client).sort()).toEqual([...operationNames].sort());
    const seen: ClientError[] = [];
    w.onUnavailable((e) => seen.push(e));
    await expect(w.client.health({})).resolves.toMatchObject({ store: { status: 'up' } });
    expect(seen).toEqual([]);
  });

  it('tells its listeners when a call answers 503 STORE_UNAVAILABLE, and still rejects the call with it', async () => {
    const w = watchStore(clientAnswering(503, STORE_DOWN));
    const seen: ClientError[] = [];
    const off = w.onUnavailable((e) => seen.push(e));
    const sale = w.client.createOrder({ ticketIds: [1], payment: { tender: 'card' } });
    await expect(sale).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', status: 503 });
    expect(seen).toHaveLength(1);
    expect((seen[0]!.details as { problem: string }).problem).toMatch(/refuses connections/);
    off();
    await expect(w.client.listVenues({})).rejects.toBeInstanceOf(ClientError);
    expect(seen).toHaveLength(1);
  });

  it('stays quiet about other refusals (a ticket sold elsewhere, the server not answering)', async () => {
    const w = watchStore(clientAnswering(409, { error: { code: 'TICKET_UNAVAILABLE', message: 'sold' } }));
    const seen: ClientError[] = [];
    w.onUnavailable((e) => seen.push(e));
    await expect(w.client.createOrder({ ticketIds: [1], payment: { tender: 'card' } })).rejects.toMatchObject({ code: 'TICKET_UNAVAILABLE' });
    const gone = watchStore(createHttpClient({ fetch: (async () => { throw new TypeError('Failed to fetch'); }) as typeof fetch }));
    gone.onUnavailable((e) => seen.push(e));
    await expect(gone.client.health({})).rejects.toMatchObject({ code: 'NETWORK' });
    expect(seen).toEqual([]);
  });
});

describe('the words a clerk sees', () => {
  it('a sale refused for a lost store says it was not done, with the problem, never "confirmed"', () => {
    const e = new ClientError('STORE_UNAVAILABLE', STORE_DOWN.error.message, STORE_DOWN.error.details, 503);
    const text = plainError(e);
    expect(text).toContain("Can't reach the shared database, so this was not done");
    expect(text).toContain('refuses connections');
    expect(text).not.toMatch(/\bconfirmed\b/i);
  });

  it('the banner writes the health problem as a sentence', () => {
    expect(sentence('the database server refuses connections: it is stopped or restarting')).toBe('The database server refuses connections: it is stopped or restarting.');
    expect(sentence('Lost.')).toBe('Lost.');
    expect(sentence('')).toBe('');
  });
});
