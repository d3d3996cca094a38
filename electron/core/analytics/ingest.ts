import { AppError } from '../../../shared/errors.js';
import type { IngestReport, IngestResult } from '../../../shared/schemas/analytics.js';
import { nowIso } from '../../../shared/time.js';
import type { Store } from '../store/contract/store.js';
import { insertPartnerOrders } from '../store/common/partner-orders-repo.js';
import { normaliseEvent, type Normalised } from './normalise.js';

/** Events per write transaction in bulk mode: big enough to amortise fsync, small enough to keep memory flat. */
export const CHUNK_SIZE = 1000;
/** One NDJSON line (one event) may not exceed this. */
export const MAX_LINE_BYTES = 1024 * 1024;
/** NDJSON reports list at most this many duplicates/rejections (counts stay exact). */
export const MAX_REPORTED = 1000;

interface Pending {
  index: number;
  normalised: Normalised;
}

class Tally {
  received = 0;
  created = 0;
  duplicates = 0;
  rejected = 0;
  results: IngestResult[] = [];
  truncated = false;

  constructor(private readonly keepCreated: boolean) {}

  add(r: IngestResult) {
    this.received++;
    if (r.status === 'created') this.created++;
    else if (r.status === 'duplicate') this.duplicates++;
    else this.rejected++;
    if (r.status === 'created' && !this.keepCreated) return;
    if (this.keepCreated || this.results.length < MAX_REPORTED) this.results.push(r);
    else this.truncated = true;
  }

  report(channel: string): IngestReport {
    const report = {
      channel,
      received: this.received,
      created: this.created,
      duplicates: this.duplicates,
      rejected: this.rejected,
      results: this.results,
      resultsTruncated: this.truncated,
    };
    // A request in which nothing could be used is a client error; partial success is a 200 with reasons.
    if (this.received > 0 && this.rejected === this.received) {
      throw new AppError('VALIDATION_FAILED', `${this.rejected === 1 ? 'The event was' : `All ${this.rejected} events were`} rejected; nothing was stored`, report);
    }
    return report;
  }
}

/** Validates outside the transaction, then writes the valid events of one chunk in one BEGIN IMMEDIATE. */
async function writeChunk(store: Store, chunk: Pending[], tally: Tally): Promise<void> {
  const valid = chunk.flatMap(({ normalised: n }) => (n.ok ? [n.order] : []));
  // No transaction for a chunk with nothing to store: an empty one would still commit the call's audit
  // entry, and a call whose every event is rejected must leave no trace.
  const outcomes =
    valid.length === 0
      ? chunk.map(() => null)
      : await store.write(async (trx) => {
          const stored = await insertPartnerOrders(store.sql(trx), valid);
          let next = 0;
          return chunk.map(({ normalised: n }) => (n.ok ? stored[next++]! : null));
        });
  chunk.forEach(({ index, normalised: n }, k) => {
    if (!n.ok) {
      tally.add({ index, eventId: n.eventId, status: 'rejected', partnerOrderId: null, errors: n.errors, message: 'not stored: the event is not valid' });
      return;
    }
    const o = outcomes[k]!;
    if (o.status === 'created') tally.add({ index, eventId: n.order.eventId, status: 'created', partnerOrderId: o.id });
    else if (o.status === 'duplicate') {
      tally.add({
        index,
        eventId: n.order.eventId,
        status: 'duplicate',
        partnerOrderId: o.id,
        message: o.sameAsStored
          ? 'already ingested; nothing changed'
          : 'already ingested with different content; nothing changed (event_id identifies an event, the first version is kept)',
      });
    } else {
      tally.add({ index, eventId: n.order.eventId, status: 'rejected', partnerOrderId: null, errors: [{ path: o.path, message: o.message }], message: 'not stored' });
    }
  });
}

const NOT_JSON: Normalised = {
  ok: false,
  eventId: null,
  errors: [{ path: '', message: 'the event cannot be stored as JSON text (nested too deeply, circular, or holding a BigInt)' }],
};

/**
 * The stored raw text of an event. JSON.stringify recurses and knows only JSON's values: a body
 * nested tens of thousands deep (which JSON.parse reads fine) overflows the stack, and an IPC call
 * can carry what structured clone allows (BigInt, cycles). Each must be a refused event, not a 500.
 */
function rawText(value: unknown): string | null {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (err) {
    if (err instanceof RangeError || err instanceof TypeError) return null;
    throw err;
  }
}

/** A JSON array of events (at most MAX_JSON_EVENTS): one transaction, a result per event. */
export async function ingestEvents(store: Store, channel: string, events: unknown[], receivedAt = nowIso()): Promise<IngestReport> {
  const tally = new Tally(true);
  const chunk = events.map((value, index) => {
    const raw = rawText(value);
    return { index, normalised: raw === null ? NOT_JSON : normaliseEvent(value, raw, channel, receivedAt) };
  });
  await writeChunk(store, chunk, tally);
  return tally.report(channel);
}

/** Splits a byte stream into lines without holding more than one line (and one chunk) in memory. */
async function* lines(stream: AsyncIterable<Uint8Array | string>): AsyncGenerator<{ line: number; text: string | null }> {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let pending = '';
  let lineNo = 0;
  let oversize = false;
  const emit = function* (text: string) {
    lineNo++;
    if (oversize) {
      oversize = false;
      yield { line: lineNo, text: null };
    } else yield { line: lineNo, text: text.endsWith('\r') ? text.slice(0, -1) : text };
  };
  for await (const chunk of stream) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      yield* emit(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
      nl = pending.indexOf('\n');
    }
    if (pending.length > MAX_LINE_BYTES) {
      oversize = true;
      pending = '';
    }
  }
  pending += decoder.decode();
  if (pending.trim() !== '' || oversize) yield* emit(pending);
}

/**
 * Bulk: one event per line, read as it streams in, validated, and written CHUNK_SIZE events per
 * transaction, so 100,000 events never sit in memory together. A chunk that commits stays
 * committed; the report says what happened to every line that was not created.
 */
export async function ingestNdjson(store: Store, channel: string, stream: AsyncIterable<Uint8Array | string>): Promise<IngestReport> {
  const tally = new Tally(false);
  let chunk: Pending[] = [];
  for await (const { line, text } of lines(stream)) {
    if (text !== null && text.trim() === '') continue;
    let normalised: Normalised;
    if (text === null) {
      normalised = { ok: false, eventId: null, errors: [{ path: '', message: `the line is longer than ${MAX_LINE_BYTES} bytes` }] };
    } else {
      let value: unknown;
      try {
        value = JSON.parse(text);
        normalised = normaliseEvent(value, text, channel, nowIso());
      } catch {
        normalised = { ok: false, eventId: null, errors: [{ path: '', message: 'the line is not valid JSON' }] };
      }
    }
    chunk.push({ index: line, normalised });
    if (chunk.length >= CHUNK_SIZE) {
      await writeChunk(store, chunk, tally);
      chunk = [];
    }
  }
  if (chunk.length > 0) await writeChunk(store, chunk, tally);
  if (tally.received === 0) throw new AppError('VALIDATION_FAILED', 'The NDJSON body holds no events');
  return tally.report(channel);
}
