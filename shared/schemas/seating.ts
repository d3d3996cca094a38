import { z } from 'zod';
import { Cents, Id, Text } from './common.js';

/**
 * Who holds a seat: a terminal or customer session id. The renderer sends its terminal id; when it is
 * missing the handler uses the caller's default (IPC: "kiosk", HTTP: "api"), see seating-handlers.ts.
 */
export const Holder = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\w.:@-]+$/, 'letters, digits and . : @ - _ only')
  .describe('terminal or customer session id holding the seats; defaults to the caller (kiosk / api)');

/** "A-P", "1-24", "A-C,E,G-H" or a list of labels. */
export const LabelRange = z.union([z.string().trim().min(1).max(200), z.array(Text(10)).min(1).max(200)]);

export const ChartSectionInput = z.strictObject({
  name: Text(40),
  rows: LabelRange.describe('row labels: "A-P", "1-25" or a list'),
  seats: z.union([z.number().int().min(1).max(200), z.string().trim().min(1).max(200)]).describe('seats per row: 24 or "1-24"'),
  zone: Text(40).default('standard').describe('price zone of every seat unless rowZones says otherwise'),
  rowZones: z.record(z.string(), Text(40)).optional().describe('{"A-C": "premium"}: zone by row range'),
  shape: z.enum(['straight', 'curved']).default('straight'),
  x: z.number().min(-100000).max(100000).default(0).describe('where the section is drawn (seat units of 10)'),
  y: z.number().min(-100000).max(100000).default(0),
  rotate: z.number().min(-360).max(360).default(0).describe('degrees, around the section origin'),
  aisleAfter: z.array(z.number().int().min(1)).max(50).default([]).describe('seat positions (1-based) followed by an aisle'),
  accessibleRows: z.array(Text(10)).max(200).default([]),
  obstructedRows: z.array(Text(10)).max(200).default([]),
});

export const SeatingChartInput = z.strictObject({
  name: Text(100),
  venueId: Id.optional(),
  sections: z.array(ChartSectionInput).min(1).max(100),
});
export type SeatingChartInput = z.output<typeof SeatingChartInput>;

export const SeatingChartSummary = z.object({
  id: Id,
  name: z.string(),
  venueId: Id.nullable(),
  seatCount: z.number().int(),
  width: z.number(),
  height: z.number(),
  sections: z.array(z.string()),
  zones: z.array(z.string()),
});

export const SEAT_STATUSES = ['available', 'held', 'sold', 'unavailable'] as const;

export const SeatMapSeat = z.object({
  ticketId: Id.nullable().describe('null when the event has no ticket for this seat'),
  seatId: Id,
  section: z.string(),
  row: z.string(),
  seat: z.string(),
  x: z.number(),
  y: z.number(),
  zone: z.string(),
  priceCents: Cents.nullable(),
  accessible: z.boolean(),
  obstructed: z.boolean(),
  aisle: z.boolean(),
  status: z.enum(SEAT_STATUSES),
  heldByMe: z.boolean(),
  holdExpiresAt: z.string().nullable(),
});
export type SeatMapSeat = z.infer<typeof SeatMapSeat>;

const SeatIndex = z.number().int().nonnegative();

/**
 * The seats of a seat map as columns: seat i is index i of every per-seat array (`count` long).
 * Sections, zones and statuses are named once and referred to by index. shared/seat-columns.ts turns
 * it back into one SeatMapSeat per seat.
 */
export const SeatColumns = z
  .object({
    count: z.number().int().nonnegative().describe('number of seats: the length of every per-seat array'),
    sections: z.array(z.string()).describe('section names; `section` holds indexes into it'),
    zones: z.array(z.string()).describe('price zones; `zone` holds indexes into it'),
    statuses: z.array(z.enum(SEAT_STATUSES)).describe('seat statuses; `status` holds indexes into it'),
    ticketId: z.array(Id.nullable()).describe('the ticket of each seat; null when the event has none for it'),
    seatId: z.array(Id),
    section: z.array(SeatIndex),
    row: z.array(z.string()),
    seat: z.array(z.string()),
    x: z.array(z.number()).describe('where the seat is drawn (seat units of 10)'),
    y: z.array(z.number()),
    zone: z.array(SeatIndex),
    priceCents: z.array(Cents.nullable()),
    flags: z.array(z.number().int().min(0).max(7)).describe('bits: 1 accessible, 2 obstructed view, 4 aisle'),
    status: z.array(SeatIndex),
    holds: z
      .array(z.object({ i: SeatIndex, mine: z.boolean(), expiresAt: z.string().nullable() }))
      .describe('the held seats (status "held"): seat index, whether the asking holder holds it, and when the hold lapses'),
  })
  .describe('seats as columns: seat i is index i of every per-seat array');
export type SeatColumns = z.infer<typeof SeatColumns>;

export const SeatMap = z.object({
  eventId: Id,
  eventName: z.string(),
  holder: z.string(),
  chart: SeatingChartSummary,
  zones: z.array(z.object({ zone: z.string(), priceCents: Cents.nullable() })),
  currency: z.string().describe('currency of the seats\' prices (an event\'s seats share one)'),
  seats: SeatColumns,
});

export const SeatedEvent = z.object({
  eventId: Id,
  name: z.string(),
  startsAt: z.string(),
  venueName: z.string(),
  timezone: z.string(),
  chartId: Id,
  chartName: z.string(),
  seatCount: z.number().int(),
});

export const AssignChartInput = z.strictObject({
  id: Id.describe('the event'),
  chartId: Id,
  prices: z.record(z.string(), Cents).describe('price in cents by zone; every zone of the chart needs one'),
  sellerId: Id.optional().describe('whose tickets these are; the box office (seller 1) by default'),
  currency: z.string().regex(/^[A-Z]{3}$/).default('USD'),
});

export const HoldInput = z.strictObject({
  id: Id.describe('the event'),
  ticketIds: z.array(Id).min(1).max(100),
  holder: Holder.optional(),
  ttlSeconds: z.number().int().min(5).max(3600).optional().describe('how long the hold lasts; default MARQUEE_HOLD_SECONDS on the server, else 300'),
});

export const ReleaseInput = z.strictObject({
  id: Id.describe('the event'),
  ticketIds: z.array(Id).min(1).max(100),
  holder: Holder.optional(),
});

export const HoldView = z.object({
  ticketId: Id,
  eventId: Id,
  holder: z.string(),
  section: z.string(),
  row: z.string(),
  seat: z.string().nullable(),
  priceCents: Cents,
  expiresAt: z.string().nullable(),
  reservationId: Id.nullable(),
});

export const HoldResult = z.object({ holder: z.string(), holds: z.array(HoldView) });
export const ReleaseResult = z.object({ holder: z.string(), released: z.array(Id) });

export const ListHoldsQuery = z.strictObject({
  id: Id.describe('the event'),
  holder: Holder.optional().describe('only this holder\'s holds; all when omitted'),
});

export const BestSeatsQuery = z.strictObject({
  id: Id.describe('the event'),
  quantity: z.number().int().min(1).max(20).default(2),
  zone: Text(40).optional(),
  holder: Holder.optional().describe('seats this holder already holds count as free for it'),
});

export const BestSeats = z.object({
  section: z.string(),
  row: z.string(),
  seats: z.array(z.string()),
  ticketIds: z.array(Id),
  totalCents: Cents,
  leavesSingleGap: z.boolean().describe('true only when no block of this size avoids leaving one lone empty seat'),
});

export const ReserveInput = z.strictObject({
  id: Id.describe('the event'),
  quantity: z.number().int().min(1).max(100),
  holder: Holder.optional(),
  customerName: Text(100).optional(),
});

export const Reservation = z.object({
  id: Id,
  eventId: Id,
  holder: z.string(),
  quantity: z.number().int(),
  status: z.enum(['active', 'cancelled', 'completed']),
  customerName: z.string().nullable(),
  ticketIds: z.array(Id),
  createdAt: z.string(),
});

export const CancelReservationInput = z.strictObject({
  id: Id.describe('the reservation'),
  reason: Text(200).optional(),
});

export const CancelOrderInput = z.strictObject({
  code: z.string().trim().min(1).max(40),
  reason: Text(200),
});

export const CancelOrderResult = z.object({
  code: z.string(),
  status: z.literal('cancelled'),
  reason: z.string(),
  releasedTicketIds: z.array(Id),
  cancelledAt: z.string(),
});

export const Inventory = z.object({
  eventId: Id,
  capacity: z.number().int().describe('the quota: events.capacity, or the number of tickets when it is not set'),
  tickets: z.number().int(),
  sold: z.number().int(),
  held: z.number().int().describe('seats in live holds (not reservations)'),
  reserved: z.number().int().describe('tickets in active reservations'),
  remaining: z.number().int().describe('what can still be held, reserved or sold'),
  revenueCents: Cents,
  revenue: z.string(),
});
