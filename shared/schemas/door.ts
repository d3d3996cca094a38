import { z } from 'zod';
import { Id } from './common.js';

/** Check-in at the door (issue 13). Times are UTC ISO strings; the screen shows them in local time. */

export const DoorName = z.string().trim().min(1).max(40).describe('which door or scanner, e.g. "Door 2"');
/** A scanned or typed ticket code: canonical or grouped by dashes, any case. */
export const TicketCodeText = z.string().trim().min(1).max(80);

export const DoorTicket = z.object({
  ticketId: Id,
  eventId: Id,
  eventName: z.string(),
  startsAt: z.string(),
  section: z.string(),
  row: z.string(),
  seat: z.string().nullable(),
});

export const CheckInInput = z.strictObject({
  code: TicketCodeText,
  door: DoorName,
  eventId: Id.optional().describe('the event this door admits to; a ticket for another event is refused'),
});

export const REFUSALS = ['already-checked-in', 'wrong-event', 'refunded', 'voided', 'not-sold', 'unknown-code'] as const;
export type Refusal = (typeof REFUSALS)[number];

export const PreviousCheckIn = z.object({ at: z.string(), username: z.string().nullable(), door: z.string() });

export const CheckInResult = z.discriminatedUnion('result', [
  z.object({ result: z.literal('admitted'), checkInId: Id, at: z.string(), ticket: DoorTicket }),
  z.object({
    result: z.literal('refused'),
    reason: z.enum(REFUSALS),
    /** One line for the screen, e.g. "Already checked in at 19:42 (UTC) at Door 2". */
    message: z.string(),
    /** The ticket, when the code is genuine. */
    ticket: DoorTicket.nullable(),
    /** already-checked-in: the live check-in. */
    previous: PreviousCheckIn.nullable(),
  }),
]);

export const CheckIn = z.object({
  id: Id,
  ticketId: Id,
  eventId: Id,
  section: z.string(),
  row: z.string(),
  seat: z.string().nullable(),
  at: z.string(),
  username: z.string().nullable(),
  door: z.string(),
  undoneAt: z.string().nullable(),
  undoneBy: z.string().nullable(),
});

export const UndoCheckInInput = z.strictObject({ id: Id.describe('the check-in') });

export const CheckInListQuery = z.strictObject({
  id: Id.describe('the event'),
  before: Id.optional().describe('page: check-ins older than this id'),
  limit: z.number().int().min(1).max(500).default(100),
});

export const CheckInCountsQuery = z.strictObject({
  id: Id.describe('the event'),
  bucketMinutes: z.number().int().min(1).max(240).default(15),
});

export const CheckInCounts = z.object({
  eventId: Id,
  sold: z.number().int(),
  checkedIn: z.number().int(),
  /** Live check-ins per arrival bucket, oldest first; empty buckets between arrivals included. */
  buckets: z.array(z.object({ start: z.string(), count: z.number().int() })),
  bucketMinutes: z.number().int(),
});

export const DoorEvent = z.object({ id: Id, name: z.string(), startsAt: z.string(), venueName: z.string(), status: z.string() });

export const TicketCode = z.object({
  ticketId: Id,
  eventId: Id,
  saleId: Id.describe('the order line'),
  eventName: z.string(),
  startsAt: z.string(),
  venueName: z.string(),
  city: z.string(),
  /** The venue's IANA zone: a printed ticket names it ("7:30 PM CST"). */
  timezone: z.string(),
  section: z.string(),
  row: z.string(),
  seat: z.string().nullable(),
  /** What this line was sold for. */
  priceCents: z.number().int(),
  /** Canonical: what a QR code or barcode carries. */
  code: z.string(),
  /** The same, grouped by four for people to read and type. */
  display: z.string(),
});

export const TicketCodes = z.object({
  orderCode: z.string(),
  currency: z.string(),
  /** How many times this order's tickets were printed so far (recordTicketPrint): above 0, a print is a reprint. */
  printed: z.number().int(),
  items: z.array(TicketCode),
});

export const TicketPrintInput = z.strictObject({ code: z.string().trim().min(1).max(40).describe('the order code') });

export const TicketPrint = z.object({
  orderCode: z.string(),
  /** Prints of this order's tickets logged before this one (0: the first print). */
  printedBefore: z.number().int(),
  /** Live tickets the print holds. */
  tickets: z.number().int(),
});

export const TicketPdfInput = z.strictObject({ code: z.string().trim().min(1).max(40).describe('the order code') });

export const TicketPdfResult = z.object({
  /** false: the person closed the save dialog; nothing was written. */
  saved: z.boolean(),
  path: z.string().nullable(),
});
