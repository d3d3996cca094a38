import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations, type OperationName } from '../../shared/operations/index.js';
import { pathParams } from '../../electron/core/http/openapi.js';
import { memoryStore, startServer, TEST_TOKEN, type TestServer } from '../helpers.js';
import { arbitraryFor } from './support/schema-arbitrary.js';
import { changedTables, openJournal, type DbJournal } from './support/db-journal.js';
import { hostileJsonValue, mutate } from './support/hostile.js';
import { LEAK, params, prototypeKeys } from './support/fuzz-config.js';

/**
 * Every operation of the table over HTTP, with inputs derived from its zod schema and hostile edits of them:
 * never a 5xx, always the error shape for a refusal, never a stack frame or SQL, and a refused call never
 * commits a row (DbJournal). The caller is the server token (an admin), so permission is never the reason.
 */

let s: TestServer;
let journal: DbJournal;
let protoBefore: string[];
const names = Object.keys(operations) as OperationName[];

beforeAll(async () => {
  protoBefore = prototypeKeys();
  const store = await memoryStore({ seed: true });
  s = await startServer(store);
  journal = await openJournal(store);
});
afterAll(async () => s?.close());

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

function queryString(input: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) q.append(k, typeof x === 'object' ? JSON.stringify(x) : String(x));
    else q.append(k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** Percent-encoding; a lone surrogate (not UTF-8 at all) goes as the bytes a careless client would send. */
function encodeSegment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
}

/** How a client would send this input to this operation's route. */
function request(name: OperationName, raw: unknown): Sent {
  const def = operations[name];
  const input: Record<string, unknown> = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as object) } : {};
  let path = def.http.path;
  for (const p of pathParams(path)) {
    const v = input[p];
    delete input[p];
    path = path.replace(`:${p}`, encodeSegment(typeof v === 'object' ? JSON.stringify(v) : String(v)));
  }
  const headers: Record<string, string> = { authorization: `Bearer ${TEST_TOKEN}` };
  const method = def.http.method;
  if (method === 'GET' || method === 'DELETE') return { method, url: `/api/v1${path}${queryString(input)}`, headers };
  if (def.http.body === 'csv') {
    const csv = typeof input.csv === 'string' ? input.csv : 'Event,Section,Row,Seat,Price\n107,A,1,1,25.00\n';
    delete input.csv;
    return { method, url: `/api/v1${path}${queryString(input)}`, headers: { ...headers, 'content-type': 'text/csv' }, body: csv };
  }
  // A non-object input goes as the whole body: the route must refuse a bare string, number or array.
  const body = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? input : raw;
  return { method, url: `/api/v1${path}`, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body ?? null) };
}

const rejected: Record<string, number> = {};
const accepted: Record<string, number> = {};
/** Tables a refused call may write, and why. */
const MAY_WRITE_WHEN_REFUSED: Partial<Record<OperationName, string[]>> = {
  // An import that started keeps its batch as failed (with its audit entry): the history of import attempts (electron/core/import/csv-import.ts).
  importTickets: ['import_batches', 'import_rejected_rows', 'import_staged_rows', 'audit_log'],
};

async function send(name: OperationName, sent: Sent): Promise<{ status: number; text: string }> {
  const before = await journal.snapshot();
  const r = await fetch(s.base + sent.url, { method: sent.method, headers: sent.headers, body: sent.body as BodyInit | undefined });
  const text = await r.text();
  const status = r.status;
  const where = `${sent.method} ${sent.url.slice(0, 200)} body ${String(sent.body ?? '').slice(0, 300)} → ${status} ${text.slice(0, 500)}`;
  expect(status, where).toBeLessThan(500);
  expect(text, where).not.toMatch(LEAK);
  if (status >= 300) {
    rejected[name] = (rejected[name] ?? 0) + 1;
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof body.error?.code, where).toBe('string');
    expect(typeof body.error?.message, where).toBe('string');
    expect(Object.keys(body), where).toEqual(['error']);
    const changed = changedTables(before, await journal.snapshot()).filter((t) => !(MAY_WRITE_WHEN_REFUSED[name] ?? []).includes(t));
    expect(changed, `a refused call committed rows: ${where}`).toEqual([]);
  } else {
    accepted[name] = (accepted[name] ?? 0) + 1;
  }
  return { status, text };
}

describe('every operation over HTTP', () => {
  it.each(names)('%s: schema-shaped and hostile inputs', async (name) => {
    const valid = arbitraryFor(operations[name].input);
    const input = fc.oneof({ weight: 2, arbitrary: valid }, { weight: 3, arbitrary: mutate(valid, hostileJsonValue) });
    await fc.assert(
      fc.asyncProperty(input, async (v) => {
        await send(name, request(name, v));
      }),
      params(10),
    );
  });
});

const jsonRoutes = names.filter((n) => !['GET', 'DELETE'].includes(operations[n].http.method) && operations[n].http.body !== 'csv');

describe('raw bodies', () => {
  const routeOf = (name: OperationName) => request(name, {}).url;
  const contentTypes = [
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/json; charset=utf-16',
    'application/xml',
    'text/csv',
    'application/x-ndjson',
    'application/octet-stream',
    '',
    'application/json, text/plain',
    'APPLICATION/JSON',
  ];
  const validJson = fc.constantFrom('{"name":"V","city":"C","country":"US","timezone":"UTC"}', '{"id":1}', '{"ticketIds":[1,2]}', '{"enabled":true}', '{}');
  const bodyArb: fc.Arbitrary<{ type: string; body: string | Buffer }> = fc.oneof(
    // Wrong content types around a plausible body.
    fc.record({ type: fc.constantFrom(...contentTypes), body: validJson }),
    // Truncated JSON.
    fc.tuple(validJson, fc.nat()).map(([j, n]) => ({ type: 'application/json', body: j.slice(0, n % j.length) })),
    // Duplicate keys: the last one wins in JSON.parse; the result must still be judged by the schema.
    fc
      .tuple(fc.constantFrom('name', 'id', '__proto__', 'ticketIds', 'enabled', 'constructor'), hostileJsonValue, hostileJsonValue)
      .map(([k, a, b]) => ({ type: 'application/json', body: `{"${k}":${JSON.stringify(a) ?? 'null'},"${k}":${JSON.stringify(b) ?? 'null'}}` })),
    // Invalid UTF-8 inside and around a string.
    fc.constantFrom(
      [0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d],
      [0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d],
      [0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d], // CESU surrogate
      [0xef, 0xbb, 0xbf, 0x7b, 0x7d], // BOM
      [0x00, 0x7b, 0x7d],
      [0xc0, 0xaf],
      [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0x5c, 0x75, 0x44, 0x38, 0x30, 0x30, 0x22, 0x7d], // {"a":"\uD800"}
    ).map((bytes) => ({ type: 'application/json', body: Buffer.from(bytes) })),
    // Deep nesting, huge numbers as text, nothing at all.
    fc.constantFrom('['.repeat(100_000), '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000), '{"id":1e999}', '{"id":-0}', '{"id":12345678901234567890123}', 'null', '""', '0', 'true', ' ').map((body) => ({ type: 'application/json', body })),
  );
  it('wrong content types, truncated and duplicate-key JSON, invalid UTF-8, deep nesting', async () => {
    const checksum = await journal.checksum();
    let acceptedHere = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...jsonRoutes), bodyArb, async (name, b) => {
        const r = await send(name, { method: operations[name].http.method, url: routeOf(name), headers: { authorization: `Bearer ${TEST_TOKEN}`, ...(b.type ? { 'content-type': b.type } : {}) }, body: b.body });
        if (r.status < 300) acceptedHere++;
      }),
      params(250),
    );
    // Nothing here is a meaningful write; if none was accepted, the rows must hash the same as before.
    if (acceptedHere === 0) expect(await journal.checksum()).toBe(checksum);
  });

  it('hostile query strings and path segments', async () => {
    const getRoutes = names.filter((n) => ['GET', 'DELETE'].includes(operations[n].http.method));
    const segment = fc.constantFrom('%00', '%FF', '%C3%28', '%ED%A0%80', '1e3', '-1', '0x10', '1.5', '%20%201', '9'.repeat(400), '__proto__', 'constructor', '..%2F..%2Fetc', '%F0%9F%8E%9F', '%E2%80%AE', '');
    const query = fc.constantFrom('?limit=1&limit=2', '?__proto__[x]=1', '?constructor[prototype][x]=1', '?q=%00', '?q=%FF%FE', '?limit=1e999', '?limit=-0', '?all=yes', '?q=' + 'a'.repeat(5000), '?&&&=', '?a=%', '?id=1');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...getRoutes), segment, query, async (name, seg, q) => {
        const base = operations[name].http.path.replace(/:\w+/g, seg);
        await send(name, { method: operations[name].http.method, url: `/api/v1${base}${q}`, headers: { authorization: `Bearer ${TEST_TOKEN}` } });
      }),
      params(200),
    );
  });

  it('leaves Object.prototype and friends unpolluted, and tried every operation', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(prototypeKeys()).toEqual(protoBefore);
    // Every operation was refused at least once, and the schema-shaped inputs got past validation somewhere.
    for (const n of names) expect(rejected[n] ?? 0, n).toBeGreaterThan(0);
    console.info('fuzz-http accepted per operation', JSON.stringify(accepted));
  });
});
