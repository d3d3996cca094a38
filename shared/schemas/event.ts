import { z } from 'zod';
import { Cents, DateOrDateTime, Id, Limit, OffsetDateTime, Text } from './common.js';
import { Venue } from './venue.js';

export const EVENT_STATUSES = ['scheduled', 'on_sale', 'sold_out', 'postponed', 'cancelled', 'completed'] as const;
export const EventStatus = z.enum(EVENT_STATUSES);

export const EventInput = z.strictObject({
  id: Id.optional().describe('keep an external id such as 107'),
  name: Text(),
  venueId: Id,
  startsAt: OffsetDateTime.describe('start time with its UTC offset'),
  category: Text(40).default('other'),
  status: EventStatus.default('on_sale'),
  capacity: z.number().int().nonnegative().nullish().describe('optional capacity or quota'),
});

export const EventPatch = z.strictObject({
  id: Id,
  name: Text().optional(),
  venueId: Id.optional(),
  startsAt: OffsetDateTime.optional(),
  category: Text(40).optional(),
  status: EventStatus.optional(),
  capacity: z.number().int().nonnegative().nullable().optional(),
});

export const EventSearch = z.strictObject({
  q: z.string().trim().max(100).optional().describe('text in the event, venue or city name'),
  city: z.string().trim().max(100).optional(),
  from: DateOrDateTime.optional().describe('date (local day) or offset date-time, inclusive'),
  to: DateOrDateTime.optional().describe('date (local day) or offset date-time, inclusive'),
  status: EventStatus.optional(),
  limit: Limit.default(100),
});

export const Event = z.object({
  id: Id,
  name: z.string(),
  venueId: Id,
  startsAt: z.string().describe('local start time with offset'),
  category: z.string(),
  status: EventStatus,
  capacity: z.number().int().nullable(),
  venue: Venue,
  ticketsAvailable: z.number().int(),
  minPriceCents: Cents.nullable(),
  minPrice: z.string().nullable(),
});
export type Event = z.infer<typeof Event>;

export const EventSummary = z.object({
  id: Id,
  name: z.string(),
  startsAt: z.string(),
  venueName: z.string(),
  city: z.string(),
});
