import { z } from 'zod';
import { Cents, Currency, DateOrDateTime, Id, Limit, Slug, Text } from './common.js';
import { EventSummary } from './event.js';

export const TICKET_STATUSES = ['available', 'held', 'sold', 'void'] as const;
export const TicketStatus = z.enum(TICKET_STATUSES);

export const Ticket = z.object({
  id: Id,
  eventId: Id,
  listingId: Id,
  sellerId: Id,
  section: z.string(),
  row: z.string(),
  seat: z.string().nullable(),
  priceCents: Cents,
  price: z.string().describe('decimal string such as "42.00"'),
  currency: z.string(),
  status: TicketStatus,
});
export type Ticket = z.infer<typeof Ticket>;

export const TicketWithEvent = Ticket.extend({ event: EventSummary });

export const TicketPage = z.object({
  items: z.array(Ticket),
  total: z.number().int(),
  nextCursor: z.string().nullable(),
});

export const TICKET_SORTS = ['price', '-price', 'section', 'row'] as const;

export const EventTicketsQuery = z.strictObject({
  id: Id,
  ref: Slug.optional().describe('referral source of this visit (google, espn, …); recorded as a visit'),
  section: z.string().trim().min(1).max(40).optional(),
  minPrice: Cents.optional().describe('in cents'),
  maxPrice: Cents.optional().describe('in cents'),
  minQuantity: z.number().int().min(1).max(100).optional().describe('only listings with at least this many tickets left'),
  sort: z.enum(TICKET_SORTS).default('price'),
  limit: z.number().int().min(1).max(5000).default(100),
  cursor: z.string().max(200).optional(),
});

export const TicketSearch = z.strictObject({
  city: z.string().trim().max(100).optional(),
  from: DateOrDateTime.optional(),
  to: DateOrDateTime.optional(),
  limit: Limit.default(100),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
});

export const TicketWithEventPage = z.object({
  items: z.array(TicketWithEvent),
  total: z.number().int().describe('every available ticket matching city and dates, over all pages'),
  nextCursor: z.string().nullable(),
});

export const BEST_STRATEGIES = ['value', 'cheapest', 'closest'] as const;
export const BestTicketQuery = z.strictObject({
  id: Id,
  strategy: z.enum(BEST_STRATEGIES).default('value'),
  quantity: z.number().int().min(1).max(50).default(1),
});

export const BestTicket = z.object({
  ticket: Ticket,
  tickets: z.array(Ticket),
  section: z.string(),
  row: z.string(),
  price: z.string(),
  priceCents: Cents,
  score: z.number(),
  reason: z.string(),
});

const SellerRef = z.union([
  Id,
  z.strictObject({ name: Text(100), email: z.email().optional() }).describe('a new seller'),
]);

export const ListingInput = z
  .strictObject({
    eventId: Id,
    sellerId: Id.optional(),
    seller: z.strictObject({ name: Text(100), email: z.email().optional() }).optional().describe('creates a new seller'),
    section: Text(40),
    row: Text(20),
    seats: z.array(Text(10)).min(1).max(200).optional().describe('exact seat labels; their count is the quantity'),
    quantity: z.number().int().min(1).max(10000).optional(),
    priceCents: Cents,
    currency: Currency.default('USD'),
  })
  .superRefine((v, ctx) => {
    if ((v.sellerId === undefined) === (v.seller === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['sellerId'], message: 'give either sellerId or seller (a new seller), not both' });
    }
    if (v.seats === undefined && v.quantity === undefined) {
      ctx.addIssue({ code: 'custom', path: ['quantity'], message: 'give quantity or seats' });
    }
    if (v.seats && v.quantity !== undefined && v.quantity !== v.seats.length) {
      ctx.addIssue({ code: 'custom', path: ['quantity'], message: 'quantity must equal the number of seats' });
    }
    if (v.seats && new Set(v.seats).size !== v.seats.length) {
      ctx.addIssue({ code: 'custom', path: ['seats'], message: 'seats must not repeat' });
    }
  });
export { SellerRef };

export const Listing = z.object({
  id: Id,
  eventId: Id,
  sellerId: Id,
  section: z.string(),
  row: z.string(),
  seats: z.array(z.string()).nullable(),
  quantity: z.number().int(),
  priceCents: Cents,
  price: z.string(),
  currency: z.string(),
  source: z.enum(['ui', 'api', 'import', 'seed']),
  importBatchId: Id.nullable(),
});

export const ListingCreated = z.object({ listing: Listing, tickets: z.array(Ticket) });

export const Seller = z.object({ id: Id, name: z.string(), email: z.string().nullable() });

/** An event's tickets grouped the way a clerk thinks of them: one row per listing (issue 13). */
export const EventListingsQuery = z.strictObject({
  id: Id,
  section: z.string().trim().min(1).max(40).optional(),
  minPrice: Cents.optional().describe('in cents'),
  maxPrice: Cents.optional().describe('in cents'),
  minQuantity: z.number().int().min(1).max(100).optional().describe('only listings with at least this many tickets left'),
  sort: z.enum(TICKET_SORTS).default('price').describe('price: price, then section and row; -price: highest first'),
  limit: z.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
});

export const ListingSeat = z.object({ ticketId: Id, seat: z.string() });

export const ListingGroup = z.object({
  listingId: Id,
  eventId: Id,
  sellerId: Id,
  sellerName: z.string(),
  section: z.string(),
  row: z.string(),
  priceCents: Cents,
  price: z.string().describe('decimal string such as "42.00"'),
  currency: z.string(),
  available: z.number().int().describe('tickets of this listing still available'),
  total: z.number().int().describe('tickets of this listing, sold, held and available (void ones excluded)'),
  numbered: z.boolean().describe('whether its seats carry numbers (then they can be picked one by one)'),
  seats: z.array(ListingSeat).nullable().describe('the available seats, in order, when numbered; null otherwise'),
});

export const ListingPage = z.object({
  items: z.array(ListingGroup),
  total: z.number().int().describe('listings matching the filters, over all pages'),
  ticketsAvailable: z.number().int().describe('available tickets in those listings'),
  nextCursor: z.string().nullable(),
});
