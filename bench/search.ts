import SQLite from 'better-sqlite3';
import type { OperationName } from '../shared/operations/index.js';
import type { OpContext } from '../electron/core/services/context.js';
import { FULL_ACCESS, invoke } from '../electron/core/services/dispatch.js';
import { openStore } from '../electron/core/store/sqlite/database.js';
import { percentile } from './baselines.js';
import type { Dataset } from './dataset.js';

export interface LatencyRow {
  label: string;
  queries: number;
  p50Ms: number;
  p99Ms: number;
  /** The same question as one bare prepared statement on a bare connection. */
  rawP50Ms: number | null;
  rawP99Ms: number | null;
}

function time(n: number, fn: (i: number) => unknown): number[] {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn(i);
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b);
}

async function timeAsync(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b);
}

/**
 * Search latency on the whole catalogue, one query at a time, through invoke (the IPC path: zod,
 * handler, Kysely on the reader connection), each beside the equivalent bare prepared statement.
 */
export async function searchLatency(ds: Dataset, queries: number): Promise<LatencyRow[]> {
  const store = await openStore({ file: ds.file });
  const ctx: OpContext = { store, channel: 'kiosk', version: 'bench' };
  const raw = new SQLite(ds.file, { readonly: true });
  const eventAt = (i: number) => 1 + ((i * 7919) % ds.catalogEvents);
  const cityAt = (i: number) => ds.cities[i % ds.cities.length]!;
  const monthAt = (i: number) => String(1 + (i % 12)).padStart(2, '0');
  const rows: LatencyRow[] = [];
  const call = <K extends OperationName>(name: K, input: unknown) => invoke(ctx, FULL_ACCESS, name, input);

  const page = raw.prepare("SELECT * FROM tickets WHERE event_id = ? AND status = 'available' ORDER BY price_cents, id LIMIT 51");
  const pageCount = raw.prepare("SELECT count(*) FROM tickets WHERE event_id = ? AND status = 'available'").pluck();
  const across = raw.prepare(`SELECT t.*, e.name, e.starts_at, v.name, v.city FROM tickets t JOIN events e ON e.id = t.event_id JOIN venues v ON v.id = e.venue_id
    WHERE t.status = 'available' AND lower(v.city) = ? AND e.local_date >= ? AND e.local_date <= ? ORDER BY e.starts_at_utc, t.price_cents, t.id LIMIT 50`);
  const events = raw.prepare(`SELECT e.* FROM events e JOIN venues v ON v.id = e.venue_id WHERE lower(v.city) = ? AND e.local_date >= ? AND e.local_date <= ? ORDER BY e.starts_at_utc LIMIT 100`);

  const cases: { label: string; api: (i: number) => Promise<unknown>; raw: ((i: number) => unknown) | null }[] = [
    {
      label: 'listEventTickets: one event, cheapest first, page of 50 + total',
      api: (i) => call('listEventTickets', { id: eventAt(i), sort: 'price', limit: 50 }),
      raw: (i) => [page.all(eventAt(i)), pageCount.get(eventAt(i))],
    },
    {
      label: 'listEventTickets: price band 60–120 $, min. 2 together',
      api: (i) => call('listEventTickets', { id: eventAt(i), minPrice: 6000, maxPrice: 12000, minQuantity: 2, limit: 50 }),
      raw: null,
    },
    {
      label: 'searchTickets: a city, one month, 50 cheapest by date',
      api: (i) => call('searchTickets', { city: cityAt(i), from: `2027-${monthAt(i)}-01`, to: `2027-${monthAt(i)}-28`, limit: 50 }),
      raw: (i) => across.all(cityAt(i).toLowerCase(), `2027-${monthAt(i)}-01`, `2027-${monthAt(i)}-28`),
    },
    {
      label: 'searchEvents: a city, one month',
      api: (i) => call('searchEvents', { city: cityAt(i), from: `2027-${monthAt(i)}-01`, to: `2027-${monthAt(i)}-28` }),
      raw: (i) => events.all(cityAt(i).toLowerCase(), `2027-${monthAt(i)}-01`, `2027-${monthAt(i)}-28`),
    },
    {
      label: 'bestTicket: value, 2 together',
      api: (i) => call('bestTicket', { id: eventAt(i), strategy: 'value', quantity: 2 }),
      raw: null,
    },
  ];
  for (const c of cases) {
    // warm-up: statements prepared, pages cached, as in a running app
    for (let i = 0; i < 5; i++) await c.api(i);
    const api = await timeAsync(queries, c.api);
    const bare = c.raw ? time(queries, c.raw) : null;
    rows.push({
      label: c.label,
      queries,
      p50Ms: percentile(api, 50),
      p99Ms: percentile(api, 99),
      rawP50Ms: bare ? percentile(bare, 50) : null,
      rawP99Ms: bare ? percentile(bare, 99) : null,
    });
  }
  raw.close();
  await store.close();
  return rows;
}
