import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../shared/operations/index.js';
import { FULL_ACCESS, invoke } from '../../electron/core/services/dispatch.js';
import { findPartnerOrderByEventId } from '../../electron/core/store/common/partner-orders-repo.js';
import type { Store } from '../../electron/core/store/contract/store.js';
import { value } from '../support/db.js';
import { SHARED_DATA, kioskCtx, memoryStore, startServer, type TestServer } from '../helpers.js';
import { partnerEvent } from '../support/partner-events.js';

const sample = () => JSON.parse(readFileSync(new URL('test_events.json', SHARED_DATA), 'utf8')) as ({ event_id: string } & Record<string, unknown>)[];
const count = (store: Store, table: string) => value(store, `SELECT count(*) AS n FROM ${table}`);
const counts = async (store: Store) => {
  const out: Record<string, number> = {};
  for (const t of ['partner_orders', 'partner_order_items', 'partner_order_addresses', 'partner_order_events', 'customers']) out[t] = await count(store, t);
  return out;
};

const event = partnerEvent;

describe('ingesting the brief’s sample events (in process, the IPC path)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await memoryStore({ seed: true });
  });
  afterAll(async () => store.close());

  it('stores all ten with their customer, addresses, lines and raw event, money in cents', async () => {
    const events = sample();
    const customersBefore = (await count(store, 'customers'));
    const ordersBefore = (await count(store, 'partner_orders'));
    const report = await invoke(kioskCtx(store), FULL_ACCESS, 'ingestOrderEvents', { channel: 'shop', events });
    expect(operations.ingestOrderEvents.output.safeParse(report).success).toBe(true);
    expect(report).toMatchObject({ channel: 'shop', received: 10, created: 10, duplicates: 0, rejected: 0 });
    expect(report.results.map((r) => r.eventId)).toEqual(events.map((e) => e.event_id));
    expect((await count(store, 'partner_orders')) - ordersBefore).toBe(10);
    // Jim.lovevery@ and jim.lovevery@ are one buyer; dan.lovevery@ appears three times: 7 distinct emails.
    expect((await count(store, 'customers')) - customersBefore).toBe(7);

    const stored = (await findPartnerOrderByEventId(store.sql(), 'fdfacfc2362-6359-49d9-a445-27314e2ff7e6'))!;
    expect(stored.order).toMatchObject({
      channel: 'shop',
      total_cents: 4500,
      discount_cents: 0,
      tax_cents: 0,
      currency: 'USD',
      financial_status: 'paid',
      counted: 1,
      item_count: 2,
      billing_region: 'Idaho',
      shipping_region: 'Maryland',
      billing_country: 'United States',
      time_source: 'received',
    });
    expect(stored.order.occurred_at).toBe(stored.order.received_at);
    expect(stored.items).toEqual([expect.objectContaining({ line_no: 1, product_id: '2f31244085395571', quantity: 2, price_cents: null, event_id: null })]);
    expect(stored.addresses.map((a) => [a.kind, a.region, a.address2])).toEqual([
      ['billing', 'Idaho', null],
      ['shipping', 'Maryland', null],
    ]);
    expect(JSON.parse(stored.raw)).toEqual(events[5]);
    const customer = (await store.sql().all(`SELECT name, email, region, city FROM customers WHERE id = ?`, [stored.order.customer_id]))[0];
    expect(customer).toEqual({ name: 'Timmy dyer', email: 'timmy.lovevery@gmail.com', region: 'Idaho', city: 'Boise' });
  });

  it('a replay changes nothing and says so, even when the content differs', async () => {
    const before = (await counts(store));
    const replay = await invoke(kioskCtx(store), FULL_ACCESS, 'ingestOrderEvents', { channel: 'shop', events: sample() });
    expect(replay).toMatchObject({ received: 10, created: 0, duplicates: 10, rejected: 0 });
    expect(replay.results.every((r) => r.status === 'duplicate' && r.message === 'already ingested; nothing changed')).toBe(true);
    const first = sample()[0]!;
    const changed = { ...first, order_value: 999.99 };
    const again = await invoke(kioskCtx(store), FULL_ACCESS, 'ingestOrderEvents', { events: [changed] });
    expect(again.results[0]).toMatchObject({ status: 'duplicate', message: expect.stringContaining('different content') });
    expect((await counts(store))).toEqual(before);
    expect((await findPartnerOrderByEventId(store.sql(), first.event_id))!.order.total_cents).toBe(500);
  });
});

describe('validation: invalid events are rejected with reasons and store nothing', () => {
  let store: Store;
  beforeAll(async () => {
    store = await memoryStore({ seed: true });
  });
  afterAll(async () => store.close());
  const ingest = (events: unknown[]) => invoke(kioskCtx(store), FULL_ACCESS, 'ingestOrderEvents', { events });

  it.each([
    ['a sub-cent amount', { order_value: 19.999 }, 'order_value'],
    ['a negative amount', { order_value: -5 }, 'order_value'],
    ['an amount as odd text', { order_value: '$5' }, 'order_value'],
    ['a missing amount', { order_value: undefined }, 'order_value'],
    ['a fractional quantity', { line_items: [{ id: 'a', quantity: '2.5' }] }, 'line_items.0.quantity'],
    ['an empty quantity', { line_items: [{ id: 'a', quantity: '' }] }, 'line_items.0.quantity'],
    ['a zero quantity', { line_items: [{ id: 'a', quantity: 0 }] }, 'line_items.0.quantity'],
    ['a quantity with blanks', { line_items: [{ id: 'a', quantity: ' 2' }] }, 'line_items.0.quantity'],
    ['no line items', { line_items: [] }, 'line_items'],
    ['a lowercase currency', { currency: 'usd' }, 'currency'],
    ['an unknown financial status', { financial_status: 'maybe' }, 'financial_status'],
    ['another event type', { event_type: 'order.updated' }, 'event_type'],
    ['a version 2 event', { event_version: '2.0.0' }, 'event_version'],
    ['a time without offset', { created_at: '2026-11-20T23:30:00' }, 'created_at'],
    ['a bad email', { email: 'not-an-email' }, 'email'],
    ['an address of the wrong type', { billing_address: 'Maryland' }, 'billing_address'],
    ['an event-linked line without its price', { line_items: [{ id: 'a', quantity: 1, marquee_event_id: 107 }] }, 'line_items.0.price'],
  ])('%s', async (_what, over, path) => {
    const before = (await counts(store));
    const err = await ingest([event('bad-1', over)]).then(
      () => null,
      (e: unknown) => e as { code: string; details: { rejected: number; results: { status: string; errors: { path: string }[] }[] } },
    );
    expect(err?.code).toBe('VALIDATION_FAILED');
    expect(err!.details.rejected).toBe(1);
    expect(err!.details.results[0]!.status).toBe('rejected');
    expect(err!.details.results[0]!.errors.map((e) => e.path)).toContain(path);
    expect((await counts(store))).toEqual(before);
  });

  it('accepts what real producers send: digit-string quantities, decimal-string money, numbers like 19.99', async () => {
    const r = await ingest([
      event('ok-1', { order_value: 19.99, total_tax: '1.60', total_discounts: 0.1, line_items: [{ id: 7, quantity: '2' }, { id: 'x', quantity: 3 }] }),
    ]);
    expect(r.created).toBe(1);
    const o = (await findPartnerOrderByEventId(store.sql(), 'ok-1'))!;
    expect(o.order).toMatchObject({ total_cents: 1999, tax_cents: 160, discount_cents: 10, item_count: 5 });
    expect(o.items.map((i) => [i.product_id, i.quantity])).toEqual([
      ['7', 2],
      ['x', 3],
    ]);
  });

  it('a mixed batch stores the valid events only and reports each rejection', async () => {
    const before = (await counts(store));
    const r = await ingest([event('mix-1'), 'not an object', event('mix-2', { order_value: 'ten' }), null, event('mix-3')]);
    expect(r).toMatchObject({ received: 5, created: 2, rejected: 3 });
    expect(r.results.map((x) => x.status)).toEqual(['created', 'rejected', 'rejected', 'rejected', 'created']);
    expect(r.results[2]).toMatchObject({ eventId: 'mix-2', errors: [expect.objectContaining({ path: 'order_value' })] });
    expect((await count(store, 'partner_orders')) - before.partner_orders!).toBe(2);
    expect((await count(store, 'customers')) - before.customers!).toBe(2);
  });

  it('an unknown Marquee event on a line rejects that order before its customer is stored', async () => {
    const before = (await counts(store));
    const err = await ingest([event('ev-1', { line_items: [{ id: 'a', quantity: 1, price: 10, marquee_event_id: 999999 }] })]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', details: { results: [{ errors: [{ path: 'line_items.0.marquee_event_id' }] }] } });
    expect((await counts(store))).toEqual(before);
  });

  it('the order time is the event’s created_at when it carries one, else when it was received', async () => {
    await ingest([event('t-1', { created_at: '2026-11-20T23:30:00-06:00' }), event('t-2')]);
    const t1 = (await findPartnerOrderByEventId(store.sql(), 't-1'))!.order;
    expect(t1).toMatchObject({ occurred_at: '2026-11-21T05:30:00.000Z', time_source: 'event' });
    const t2 = (await findPartnerOrderByEventId(store.sql(), 't-2'))!.order;
    expect(t2.time_source).toBe('received');
    expect(Math.abs(Date.parse(t2.occurred_at as string) - Date.now())).toBeLessThan(60_000);
  });

  it('refuses a call with neither or both of events and an NDJSON stream', async () => {
    await expect(invoke(kioskCtx(store), FULL_ACCESS, 'ingestOrderEvents', {})).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(invoke(kioskCtx(store), FULL_ACCESS, 'ingestOrderEvents', { events: [] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('refuses events that cannot be stored as JSON text (what IPC can carry: a BigInt, a cycle), never a 500', async () => {
    const circular: Record<string, unknown> = { ...event('c-1') };
    circular.self = circular;
    for (const bad of [10n ** 30n, { ...event('c-2'), extra: 5n }, circular]) {
      await expect(invoke(kioskCtx(store), FULL_ACCESS, 'ingestOrderEvents', { events: [bad] })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { results: [{ status: 'rejected', errors: [{ message: expect.stringContaining('cannot be stored as JSON') }] }] },
      });
    }
    expect(await findPartnerOrderByEventId(store.sql(), 'c-1')).toBeFalsy();
    expect(await findPartnerOrderByEventId(store.sql(), 'c-2')).toBeFalsy();
  });
});

describe('POST /api/v1/order-events', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer(await memoryStore({ seed: true }));
  });
  afterAll(async () => s.close(), 120_000);
  const post = (body: string, contentType = 'application/json', headers: Record<string, string> = {}) =>
    s.api('/api/v1/order-events', { method: 'POST', body, headers: { 'content-type': contentType, ...headers } });

  it('takes a bare array, a single event, or {events}; the channel from X-Partner-Channel', async () => {
    const [a, b, c] = sample();
    let r = await post(JSON.stringify([a, b]), 'application/json', { 'x-partner-channel': 'shop' });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ channel: 'shop', created: 2 });
    r = await post(JSON.stringify(c));
    expect(await r.json()).toMatchObject({ channel: 'partner', created: 1, results: [{ index: 0, eventId: c!.event_id, status: 'created' }] });
    r = await post(JSON.stringify({ channel: 'box-shop', events: [a, event('h-1')] }));
    expect(await r.json()).toMatchObject({ channel: 'box-shop', created: 1, duplicates: 1 });
    expect(await value(s.store, `SELECT channel FROM partner_orders WHERE event_id = ?`, [a!.event_id])).toBe('shop');
  });

  it('malformed JSON, wrong types and wrong content types are 4xx errors, never 500', async () => {
    const before = (await count(s.store, 'partner_orders'));
    const cases: [string, string, number, string][] = [
      ['{"event_type": "order.created",', 'application/json', 400, 'BAD_REQUEST'],
      ['"hello"', 'application/json', 400, 'VALIDATION_FAILED'],
      ['[1, null, []]', 'application/json', 400, 'VALIDATION_FAILED'],
      ['42', 'application/json', 400, 'VALIDATION_FAILED'],
      [JSON.stringify({ events: 'nope' }), 'application/json', 400, 'VALIDATION_FAILED'],
      [JSON.stringify({ ...event('w-1'), order_value: { amount: 5 } }), 'application/json', 400, 'VALIDATION_FAILED'],
      [JSON.stringify([event('w-2')]), 'text/plain', 415, 'UNSUPPORTED_MEDIA_TYPE'],
      // Parsed fine, but too deep to write back as the stored raw text (found by test/proof/fuzz-http).
      ['{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000), 'application/json', 400, 'VALIDATION_FAILED'],
      ['[' + '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000) + ']', 'application/json', 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, type, status, code] of cases) {
      const r = await post(body, type);
      expect(r.status, body).toBe(status);
      expect(((await r.json()) as { error: { code: string } }).error.code, body).toBe(code);
    }
    const r = await post(JSON.stringify([event('w-3', { line_items: [{ id: 'a', quantity: 'two' }] })]));
    const body = (await r.json()) as { error: { details: { results: { errors: { path: string; message: string }[] }[] } } };
    expect(body.error.details.results[0]!.errors[0]).toMatchObject({ path: 'line_items.0.quantity', message: expect.stringContaining('whole number') });
    expect((await count(s.store, 'partner_orders'))).toBe(before);
  });

  it('more than 1,000 events in a JSON body are refused: bulk goes through NDJSON', async () => {
    const r = await post(JSON.stringify({ events: Array.from({ length: 1001 }, (_, i) => ({ i })) }));
    expect(r.status).toBe(400);
  });

  it('NDJSON: reports bad lines by line number and stores the good ones', async () => {
    const body = [JSON.stringify(event('n-1')), '', '{not json', JSON.stringify(event('n-2', { order_value: -1 })), JSON.stringify(event('n-3')), JSON.stringify(event('n-1'))].join('\r\n');
    const r = await post(body, 'application/x-ndjson', { 'x-partner-channel': 'bulk' });
    expect(r.status).toBe(200);
    const report = (await r.json()) as { created: number; duplicates: number; rejected: number; results: { index: number; status: string }[] };
    expect(report).toMatchObject({ received: 5, created: 2, duplicates: 1, rejected: 2 });
    // NDJSON lists what was not created only; index is the 1-based line number.
    expect(report.results.map((x) => [x.index, x.status])).toEqual([
      [3, 'rejected'],
      [4, 'rejected'],
      [6, 'duplicate'],
    ]);
  });

  it('NDJSON: 100,000 events in one call are streamed and committed chunk by chunk while the body is still arriving', async () => {
    const before = (await count(s.store, 'partner_orders'));
    const total = 100_000;
    let sawCommitMidStream = false;
    async function* body() {
      for (let i = 0; i < total; i += 500) {
        let text = '';
        for (let k = i; k < i + 500; k++) {
          text += JSON.stringify(event(`bulk-${k}`, { order_value: (k % 100) + 0.25, email: `buyer${k % 997}@example.com` })) + '\n';
        }
        yield new TextEncoder().encode(text);
        if (i === total / 2) {
          // Halfway through the body the server must already have committed earlier chunks.
          const deadline = Date.now() + 20_000;
          while ((await count(s.store, 'partner_orders')) === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
          sawCommitMidStream = (await count(s.store, 'partner_orders')) > before;
        }
      }
    }
    const r = await s.api('/api/v1/order-events', {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', 'x-partner-channel': 'bulk' },
      body: Readable.toWeb(Readable.from(body())) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ received: total, created: total, rejected: 0, results: [], resultsTruncated: false });
    expect(sawCommitMidStream).toBe(true);
    expect((await count(s.store, 'partner_orders')) - before).toBe(total);
    const sum = await value(s.store, `SELECT sum(total_cents) AS n FROM partner_orders WHERE event_id LIKE 'bulk-%'`);
    // sum over k of (k % 100) * 100 + 25 cents
    expect(sum).toBe((total / 100) * ((99 * 100) / 2) * 100 + total * 25);
    // 100,000 rows on PostgreSQL took over a minute on a machine loaded by other work: a bound, not a speed target.
  }, 240_000);
});
