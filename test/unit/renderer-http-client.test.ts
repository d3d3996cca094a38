import { describe, expect, it } from 'vitest';
import { operationNames } from '../../shared/operations/index.js';
import { ClientError, toClientError } from '../../renderer/src/client/client-error.js';
import { buildRequest, createHttpClient } from '../../renderer/src/client/http-client.js';

type Call = { url: string; init: RequestInit };

function fakeFetch(status: number, body: unknown, calls: Call[]): typeof fetch {
  return (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

describe('buildRequest derives requests from the operations table', () => {
  it('fills path params and sends the rest of a GET as the query string', () => {
    const r = buildRequest('listEventTickets', { id: 107, section: '1 0', minPrice: 2500, sort: '-price', cursor: undefined });
    expect(r.method).toBe('GET');
    expect(r.url).toBe('/api/v1/events/107/tickets?section=1+0&minPrice=2500&sort=-price');
    expect(r.body).toBeUndefined();
  });

  it('sends a JSON body for writes and moves mapped fields into headers', () => {
    const r = buildRequest('createOrder', { ticketIds: [4, 5], payment: { tender: 'cash', tenderedCents: 5000 }, idempotencyKey: 'k-1' });
    expect(r.method).toBe('POST');
    expect(r.url).toBe('/api/v1/orders');
    expect(r.headers['idempotency-key']).toBe('k-1');
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body!)).toEqual({ ticketIds: [4, 5], payment: { tender: 'cash', tenderedCents: 5000 } });
  });

  it('keeps path params out of the body of a PUT', () => {
    const r = buildRequest('sellTicket', { id: 9, referral: 'google' });
    expect(r).toMatchObject({ method: 'PUT', url: '/api/v1/tickets/9/sold' });
    expect(JSON.parse(r.body!)).toEqual({ referral: 'google' });
  });

  it('sends csv operations as a text/csv body with the other fields in the query', () => {
    const r = buildRequest('importTickets', { csv: 'eventId,section\n107,08\n', dryRun: true, sellerId: 2 });
    expect(r.headers['content-type']).toBe('text/csv');
    expect(r.body).toBe('eventId,section\n107,08\n');
    expect(r.url).toBe('/api/v1/imports?dryRun=true&sellerId=2');
  });

  it('refuses to build a path without its parameter', () => {
    expect(() => buildRequest('getOrder', {})).toThrow(ClientError);
  });
});

describe('createHttpClient', () => {
  it('has one method per operation', () => {
    const client = createHttpClient({ fetch: fakeFetch(200, {}, []) }) as unknown as Record<string, unknown>;
    for (const name of operationNames) expect(typeof client[name]).toBe('function');
  });

  it('sends the session cookie (same-origin) and returns the parsed body', async () => {
    const calls: Call[] = [];
    const client = createHttpClient({ fetch: fakeFetch(200, { items: [] }, calls) });
    await expect(client.searchEvents({ city: 'Chicago', from: '2026-12-01' })).resolves.toEqual({ items: [] });
    expect(calls[0]!.url).toBe('/api/v1/events?city=Chicago&from=2026-12-01');
    expect(calls[0]!.init.credentials).toBe('same-origin');
    expect(new Headers(calls[0]!.init.headers).has('authorization')).toBe(false);
  });

  it('turns an error body into a ClientError with code, message and details', async () => {
    const body = { error: { code: 'TICKET_UNAVAILABLE', message: 'That ticket was just sold', details: { ticketIds: [4] } } };
    const client = createHttpClient({ fetch: fakeFetch(409, body, []) });
    const err = await client.createOrder({ ticketIds: [4] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect(err).toMatchObject({ code: 'TICKET_UNAVAILABLE', message: 'That ticket was just sold', details: { ticketIds: [4] }, status: 409 });
  });

  it('reports a server that does not answer as NETWORK', async () => {
    const failing = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    const err = await createHttpClient({ fetch: failing }).health({}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NETWORK' });
  });
});

describe('toClientError (IPC rejections)', () => {
  it('keeps the code of a bridged error object', () => {
    const e = toClientError({ name: 'MarqueeError', code: 'NOT_FOUND', message: 'order X does not exist', details: { code: 'X' }, status: 404 });
    expect(e).toMatchObject({ code: 'NOT_FOUND', message: 'order X does not exist', details: { code: 'X' } });
  });
});
