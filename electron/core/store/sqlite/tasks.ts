import type SQLite from 'better-sqlite3';
import { notFound } from '../../../../shared/errors.js';
import { completeAuditRow } from '../contract/audit-row.js';
import { idempotencyKeyReused, notEnoughLeft, notEnoughOfListing } from '../contract/sale-rules.js';
import type { SaleResult } from '../contract/tasks.js';
import type { TaskArgs, TaskEnvelope, TaskName, TaskResult } from '../contract/tasks.js';
import { insertAuditSync } from './audit-insert.js';
import * as seating from './seating-writes.js';
import { sellInTransaction } from './sell.js';
import { sellStatements } from './sell-fast-path.js';

/**
 * The racing writes (contract/tasks.ts) on SQLite: synchronous, inside their group's transaction,
 * so the same code runs in a group on the serving thread (store.writeGrouped) or on the writer lane's
 * worker thread (writer-lane.ts), which commits while the serving thread keeps serving.
 */
const tasks: { [K in TaskName]: (db: SQLite.Database, a: TaskArgs<K>) => TaskResult<K> } = {
  sell: (db, a) => sellInTransaction(db, a.channel, a.input, a.ids, a.requestHash, a.holdNowMs),

  // Picking and selling happen in the same task, so two concurrent requests can never pick the same ticket.
  sellAny: (db, a) => {
    const st = sellStatements(db);
    const ids = st.cheapestAvailable(a.eventId, a.quantity);
    if (ids.length < a.quantity) {
      if (!st.eventExists(a.eventId)) throw notFound('event', a.eventId);
      throw notEnoughLeft(a.eventId, ids.length);
    }
    return sellInTransaction(db, a.channel, { ...a.sale, ticketIds: ids }, ids, '', a.holdNowMs);
  },

  // The same for N of one listing: the pick and the guarded flip share the writer's transaction.
  sellListing: (db, a) => {
    const st = sellStatements(db);
    // A repeat of a sale that went through (same Idempotency-Key) answers the first one, before looking for tickets.
    const key = a.sale.idempotencyKey;
    const prior = key ? st.findIdempotencyKey(key) : undefined;
    if (key && prior) {
      if (prior.request_hash !== a.requestHash) throw idempotencyKeyReused(key);
      return JSON.parse(prior.response_json) as SaleResult;
    }
    const ids = st.availableOfListing(a.listingId, a.quantity);
    if (ids.length < a.quantity) {
      if (!st.listingExists(a.listingId)) throw notFound('listing', a.listingId);
      throw notEnoughOfListing(a.listingId, ids.length);
    }
    return sellInTransaction(db, a.channel, { ...a.sale, ticketIds: ids }, ids, a.requestHash, a.holdNowMs);
  },

  holdSeats: (db, a) => {
    if (!seating.findEvent(db, a.eventId)) throw notFound('event', a.eventId);
    return seating.holdTickets(db, a);
  },

  releaseSeats: (db, a) => {
    if (!seating.findEvent(db, a.eventId)) throw notFound('event', a.eventId);
    return seating.releaseTickets(db, a);
  },

  reserveTickets: (db, a) => {
    if (!seating.findEvent(db, a.eventId)) throw notFound('event', a.eventId);
    const reservation = seating.reserve(db, a);
    return { reservation, ticketIds: seating.reservationTickets(db, reservation.id) };
  },

  cancelReservation: (db, a) => seating.cancelReservation(db, a.id, a.reason, a.now),

  sweepHolds: (db, a) => seating.sweepLapsed(db, a.now),
};

/** Tasks worth group-committing: the ones an on-sale rush sends by the thousand. The sweep runs alone. */
export const GROUPED_TASKS: ReadonlySet<TaskName> = new Set(['sell', 'sellAny', 'sellListing', 'holdSeats', 'releaseSeats', 'reserveTickets', 'cancelReservation']);

/** Runs one task in the current transaction; the audit entry, if any, is written in the same item. */
export function runTask(db: SQLite.Database, name: string, args: unknown): unknown {
  const fn = (tasks as Record<string, (db: SQLite.Database, a: unknown) => unknown>)[name];
  if (!fn) throw new Error(`unknown task ${name}`);
  const result = fn(db, args);
  const audit = (args as TaskEnvelope).audit;
  if (audit) insertAuditSync(db, completeAuditRow(audit, result));
  return result;
}
