import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL_ACCESS, invoke } from '../../electron/core/services/dispatch.js';
import type { Store } from '../../electron/core/store/contract/store.js';
import { exec, value } from '../support/db.js';
import { kioskCtx, memoryStore, startServer, testEngine, type TestServer } from '../helpers.js';
import { partnerEvent } from '../support/partner-events.js';

const count = (store: Store, table: string) => value<number>(store, `SELECT count(*) FROM ${table}`);

/**
 * Text neither engine keeps as sent (a NUL, a lone surrogate) is refused by validation, the same way
 * on SQLite and PostgreSQL, and a constraint the input still breaks is described in the same words on
 * both. Before, a NUL in a venue's city was 409 SQLITE_CONSTRAINT_CHECK on SQLite and 400 "wrong kind
 * for the database" on PostgreSQL, and a NUL in a column without a CHECK was stored by SQLite and
 * then stopped `migrate-store`.
 */
describe(`text the store cannot keep is refused before it is written (${testEngine()})`, () => {
  let store: Store;
  let server: TestServer;
  const venue = { name: 'The Marquee Hall', city: 'Chicago', country: 'US', timezone: 'America/Chicago' };
  beforeAll(async () => {
    store = await memoryStore({ seed: true });
    server = await startServer(store);
  });
  afterAll(async () => {
    await server.close();
    await store.close();
  });

  const refusal = (path: string, message: RegExp) => ({
    code: 'VALIDATION_FAILED',
    details: [expect.objectContaining({ path, code: 'bad_text', message: expect.stringMatching(message) })],
  });

  it('a NUL or a lone surrogate in any text field of an operation is a 400 naming the field, and nothing is written', async () => {
    const ctx = kioskCtx(store);
    const venues = await count(store, 'venues');
    const audits = await count(store, 'audit_log');
    await expect(invoke(ctx, FULL_ACCESS, 'createVenue', { ...venue, city: 'Chi\u0000cago' })).rejects.toMatchObject(refusal('city', /NUL/));
    // A column with no CHECK: SQLite used to store this one.
    await expect(invoke(ctx, FULL_ACCESS, 'createVenue', { ...venue, addressLine2: 'Door B\u0000' })).rejects.toMatchObject(refusal('addressLine2', /NUL/));
    await expect(invoke(ctx, FULL_ACCESS, 'createVenue', { ...venue, name: 'Hall \uD800' })).rejects.toMatchObject(refusal('name', /lone surrogate/));
    await expect(invoke(ctx, FULL_ACCESS, 'createVenue', { ...venue, name: '\uDC00 Hall' })).rejects.toMatchObject(refusal('name', /lone surrogate/));
    expect(await count(store, 'venues')).toBe(venues);
    expect(await count(store, 'audit_log')).toBe(audits);

    const id = await value<number>(store, "SELECT min(id) FROM tickets WHERE status = 'available'");
    const sale = { id, customer: { name: 'Ada', city: 'Spring\u0000field' } };
    await expect(invoke(ctx, FULL_ACCESS, 'sellTicket', sale)).rejects.toMatchObject(refusal('customer.city', /NUL/));
    expect(await value(store, 'SELECT status FROM tickets WHERE id = ?', [id])).toBe('available');
  });

  it('well-formed text outside the Basic Multilingual Plane is kept exactly, on either engine', async () => {
    const name = 'Théâtre 🎭 𝄞 Hall';
    const created = await invoke(kioskCtx(store), FULL_ACCESS, 'createVenue', { ...venue, name });
    expect(created.name).toBe(name);
    expect(await value(store, 'SELECT name FROM venues WHERE id = ?', [created.id])).toBe(name);
  });

  it('over HTTP: the JSON escape \\u0000 in a body or %00 in the path is the same 400 in the one error shape', async () => {
    const r = await server.api('/api/v1/venues', { method: 'POST', json: { ...venue, city: 'Chi\u0000cago' } });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ error: { code: 'VALIDATION_FAILED', message: 'The input is not valid', details: [{ path: 'city', code: 'bad_text', message: 'must not contain a NUL character (U+0000)' }] } });
    const q = await server.api('/api/v1/events?city=Chi%00cago');
    expect(q.status).toBe(400);
    expect(((await q.json()) as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe('city');
  });

  it('a CSV file with a NUL is refused by the import reader, with its line', async () => {
    const batches = await count(store, 'import_batches');
    const csv = 'eventId,section,quantity,price,row\n107,A,1,10,1\n107,B\u0000,1,10,2\n';
    await expect(invoke(kioskCtx(store), FULL_ACCESS, 'importTickets', { csv, dryRun: true })).rejects.toMatchObject({
      message: expect.stringContaining('NUL'),
      details: expect.objectContaining({ line: 3 }),
    });
    const half = 'eventId,section,quantity,price,row\n107,A\uD800,1,10,1\n';
    await expect(invoke(kioskCtx(store), FULL_ACCESS, 'previewImport', { csv: half })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('lone UTF-16 surrogate'),
      details: expect.objectContaining({ line: 2 }),
    });
    expect(await count(store, 'import_batches')).toBe(batches);
  });

  it('a partner order event with a NUL is rejected with the field, and the other events of the batch are stored', async () => {
    const ev = (id: string, city: string) => partnerEvent(id, { billing_address: { first_name: 'Dan', city, country: 'US' } });
    const before = await count(store, 'partner_orders');
    const r = await invoke(kioskCtx(store), FULL_ACCESS, 'ingestOrderEvents', { channel: 'shop', events: [ev('nul-1', 'Austin'), ev('nul-2', 'Aus\u0000tin')] });
    expect(r).toMatchObject({ received: 2, created: 1, rejected: 1 });
    expect(r.results[1]).toMatchObject({ status: 'rejected', eventId: 'nul-2', errors: [{ path: 'billing_address.city', message: expect.stringContaining('NUL') }] });
    expect(await count(store, 'partner_orders')).toBe(before + 1);
  });
});

describe(`a broken constraint is described in the same words on both engines (${testEngine()})`, () => {
  let store: Store;
  beforeAll(async () => {
    store = await memoryStore({ seed: true });
  });
  afterAll(async () => store.close());

  const broken = async (sql: string, args: unknown[] = []) => {
    const err = await exec(store, sql, args).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err, sql).not.toBeNull();
    const described = store.describeError(err);
    return described && { code: described.code, status: described.status, message: described.message, details: described.details };
  };

  it('CHECK, UNIQUE, foreign key, NOT NULL and the append-only audit log: CONFLICT with the kind of rule, no engine code or constraint name', async () => {
    const message = 'The change breaks a rule of the data model and was not made';
    const now = '2026-12-04T12:00:00.000Z';
    const venue = (name: string) => [name, 'Chicago', 'US', 'UTC', now];
    const insertVenue = 'INSERT INTO venues (name, city, country, timezone, created_at) VALUES (?, ?, ?, ?, ?)';
    expect(await broken(insertVenue, venue('   '))).toEqual({ code: 'CONFLICT', status: 409, message, details: { rule: 'check' } });
    // A sale: an order whose code to repeat, and an audit entry to try to rewrite.
    const { code } = (await invoke(kioskCtx(store), FULL_ACCESS, 'sellTicket', { id: await value<number>(store, "SELECT min(id) FROM tickets WHERE status = 'available'") })).order;
    expect(await value(store, 'SELECT count(*) FROM audit_log')).toBeGreaterThan(0);
    expect(await broken("INSERT INTO orders (code, channel, total_cents, currency, created_at) VALUES (?, 'kiosk', 0, 'USD', ?)", [code, now])).toEqual({
      code: 'CONFLICT',
      status: 409,
      message,
      details: { rule: 'unique' },
    });
    expect(await broken('INSERT INTO events (name, venue_id, starts_at, starts_at_utc, local_date, status, created_at, updated_at) VALUES (?, 987654, ?, ?, ?, ?, ?, ?)', ['Ghost', '2026-12-24T20:00:00', '2026-12-24T20:00:00Z', '2026-12-24', 'scheduled', now, now])).toEqual({
      code: 'CONFLICT',
      status: 409,
      message,
      details: { rule: 'foreign_key' },
    });
    expect(await broken(insertVenue, [null, 'Chicago', 'US', 'UTC', now])).toEqual({ code: 'CONFLICT', status: 409, message, details: { rule: 'not_null' } });
    expect(await broken("UPDATE audit_log SET operation = 'forged'")).toEqual({ code: 'CONFLICT', status: 409, message, details: { rule: 'append_only' } });
  });
});
