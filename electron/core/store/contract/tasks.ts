import type { OpOutput, OpParsedInput } from '../../../../shared/operations/index.js';
import type { AuditTemplate } from './audit-row.js';
import type { HoldRow, ReservationRow, SeatChange } from './shapes.js';

export type SaleInput = OpParsedInput<'createOrder'>;
export type SaleResult = OpOutput<'createOrder'>;
type Channel = 'kiosk' | 'api';

/**
 * The writes that race: sales, holds, reservations and the sweep of lapsed holds. Each engine runs
 * them its own way (SQLite: synchronous items group-committed on the writer lane; PostgreSQL: one
 * transaction each on a pooled connection, with row locks) but to the same rules, with plain-data
 * arguments (a task may cross to another thread) and the call's audit entry written in the same
 * transaction. Times come in the arguments: a test's clock is the caller's.
 */
export interface TaskTable {
  sell: {
    args: { channel: Channel; input: SaleInput; ids: number[]; requestHash: string; holdNowMs: number };
    result: SaleResult;
  };
  /** Picks the cheapest available tickets and sells them in the same transaction: two requests never pick the same one. */
  sellAny: {
    args: { channel: Channel; eventId: number; quantity: number; sale: Omit<SaleInput, 'ticketIds'>; holdNowMs: number };
    result: SaleResult;
  };
  /** Picks N available tickets of one listing and sells them in the same transaction (the "Sell N" of a grouped row). */
  sellListing: {
    args: { channel: Channel; listingId: number; quantity: number; sale: Omit<SaleInput, 'ticketIds'>; requestHash: string; holdNowMs: number };
    result: SaleResult;
  };
  holdSeats: {
    args: { eventId: number; ticketIds: number[]; holder: string; expiresAt: string; now: string };
    result: HoldRow[];
  };
  releaseSeats: {
    args: { eventId: number; ticketIds: number[]; holder: string; now: string };
    result: number[];
  };
  reserveTickets: {
    args: { eventId: number; quantity: number; holder: string; customerName: string | null; now: string };
    result: { reservation: ReservationRow; ticketIds: number[] };
  };
  cancelReservation: {
    args: { id: number; reason: string | null; now: string };
    result: { reservation: ReservationRow; released: number[] };
  };
  /** Lapsed holds back to available, grouped by event. */
  sweepHolds: {
    args: { now: string };
    result: SeatChange[];
  };
}

export type TaskName = keyof TaskTable;
export type TaskArgs<K extends TaskName> = TaskTable[K]['args'];
export type TaskResult<K extends TaskName> = TaskTable[K]['result'];

/** What rides along with a task: the audit entry of the call it belongs to (auth/audit.ts), if this write carries it. */
export interface TaskEnvelope {
  audit?: AuditTemplate;
}
