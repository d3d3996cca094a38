import type SQLite from 'better-sqlite3';
import { AppError, notFound } from '../../../../shared/errors.js';
import { completeAuditRow, type AuditTemplate } from '../contract/audit-row.js';
import type { Store } from './database.js';
import { insertAuditSync } from '../common/audit-repo.js';
import * as seating from './seating-repo.js';
import { sellStatements } from './sell-fast-path.js';
import type { OpContext } from '../../services/context.js';
import { sellInTransaction, type SaleInput } from '../../services/sell.js';

/**
 * The hot writes (sells, holds, reservations) as named tasks with plain-data arguments, so that the
 * same code runs either inside a group on this thread (store.writeGrouped) or on the writer lane's
 * worker thread (store/writer-lane.ts), which commits while the HTTP thread keeps serving. Every
 * task is synchronous, runs inside its group's transaction, and reads no clock or state of its own:
 * times come in the arguments (a test's hold clock is the caller's).
 */
const tasks = {
  sell: (db: SQLite.Database, a: { channel: OpContext['channel']; input: SaleInput; ids: number[]; requestHash: string; holdNowMs: number }) =>
    sellInTransaction(db, a.channel, a.input, a.ids, a.requestHash, a.holdNowMs),

  // Picking and selling happen in the same task, so two concurrent requests can never pick the same ticket.
  sellAny: (db: SQLite.Database, a: { channel: OpContext['channel']; eventId: number; quantity: number; sale: Omit<SaleInput, 'ticketIds'>; holdNowMs: number }) => {
    const st = sellStatements(db);
    const ids = st.cheapestAvailable(a.eventId, a.quantity);
    if (ids.length < a.quantity) {
      if (!st.eventExists(a.eventId)) throw notFound('event', a.eventId);
      throw new AppError('TICKET_UNAVAILABLE', `Only ${ids.length} ticket(s) of event ${a.eventId} are left`, { eventId: a.eventId, available: ids.length });
    }
    return sellInTransaction(db, a.channel, { ...a.sale, ticketIds: ids }, ids, '', a.holdNowMs);
  },

  holdSeats: (db: SQLite.Database, a: { eventId: number; ticketIds: number[]; holder: string; expiresAt: string; now: string }) => {
    if (!seating.findEvent(db, a.eventId)) throw notFound('event', a.eventId);
    return seating.holdTickets(db, a);
  },

  releaseSeats: (db: SQLite.Database, a: { eventId: number; ticketIds: number[]; holder: string; now: string }) => {
    if (!seating.findEvent(db, a.eventId)) throw notFound('event', a.eventId);
    return seating.releaseTickets(db, a);
  },

  reserveTickets: (db: SQLite.Database, a: { eventId: number; quantity: number; holder: string; customerName: string | null; now: string }) => {
    if (!seating.findEvent(db, a.eventId)) throw notFound('event', a.eventId);
    const reservation = seating.reserve(db, a);
    return { reservation, ticketIds: seating.reservationTickets(db, reservation.id) };
  },

  cancelReservation: (db: SQLite.Database, a: { id: number; reason: string | null; now: string }) => seating.cancelReservation(db, a.id, a.reason, a.now),
};

export type GroupTasks = typeof tasks;
export type TaskName = keyof GroupTasks;
export type TaskArgs<K extends TaskName> = Parameters<GroupTasks[K]>[1];
export type TaskResult<K extends TaskName> = ReturnType<GroupTasks[K]>;

/** What rides along with a task: the audit entry of the call it belongs to (auth/audit.ts), if this write carries it. */
export interface TaskEnvelope {
  audit?: AuditTemplate;
}

/** Runs one task in the current transaction; the audit entry, if any, is written in the same group item. */
export function runGroupTask(db: SQLite.Database, name: string, args: unknown): unknown {
  const fn = (tasks as Record<string, (db: SQLite.Database, a: unknown) => unknown>)[name];
  if (!fn) throw new Error(`unknown group task ${name}`);
  const result = fn(db, args);
  const audit = (args as TaskEnvelope).audit;
  if (audit) insertAuditSync(db, completeAuditRow(audit, result));
  return result;
}

/** Submits a task to the store's group-commit path (the writer lane when the store has one). */
export function groupWrite<K extends TaskName>(store: Store, name: K, args: TaskArgs<K>): Promise<TaskResult<K>> {
  return store.writeTask(name, args, runGroupTask) as Promise<TaskResult<K>>;
}
