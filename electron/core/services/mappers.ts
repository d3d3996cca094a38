import { formatCents } from '../../../shared/money.js';
import type { Event } from '../../../shared/schemas/event.js';
import type { Ticket } from '../../../shared/schemas/ticket.js';
import type { Venue } from '../../../shared/schemas/venue.js';
import type { EventWithAvailabilityRow } from '../store/common/events-repo.js';
import type { TicketsTable, VenuesTable } from '../store/contract/schema.js';
import type { Selectable } from 'kysely';

export function toVenue(v: Selectable<VenuesTable>): Venue {
  return {
    id: v.id,
    name: v.name,
    addressLine1: v.address_line1,
    addressLine2: v.address_line2,
    addressLine3: v.address_line3,
    city: v.city,
    region: v.region,
    postalCode: v.postal_code,
    country: v.country,
    timezone: v.timezone,
  };
}

export function toEvent(r: EventWithAvailabilityRow): Event {
  const min = r.min_price_cents === null ? null : Number(r.min_price_cents);
  return {
    id: r.id,
    name: r.name,
    venueId: r.venue_id,
    startsAt: r.starts_at,
    category: r.category,
    status: r.status as Event['status'],
    capacity: r.capacity,
    venue: {
      id: r.venue_id,
      name: r.v_name,
      addressLine1: r.v_address_line1,
      addressLine2: r.v_address_line2,
      addressLine3: r.v_address_line3,
      city: r.v_city,
      region: r.v_region,
      postalCode: r.v_postal_code,
      country: r.v_country,
      timezone: r.v_timezone,
    },
    ticketsAvailable: Number(r.tickets_available ?? 0),
    minPriceCents: min,
    minPrice: min === null ? null : formatCents(min),
  };
}

export function toTicket(t: Selectable<TicketsTable>): Ticket {
  return {
    id: t.id,
    eventId: t.event_id,
    listingId: t.listing_id,
    sellerId: t.seller_id,
    section: t.section,
    row: t.row,
    seat: t.seat,
    priceCents: t.price_cents,
    price: formatCents(t.price_cents),
    currency: t.currency,
    status: t.status,
  };
}
