// Shapes that cross the store's boundary: what the engines return and what the floors above hand
// down. The store takes nothing from the floors above it, so they live here.

/** One committed change of seats/tickets of one event, as pushed to seat maps. */
export interface SeatChange {
  eventId: number;
  ticketIds: number[];
  status: 'available' | 'held' | 'sold';
  /** Who holds them now (status 'held'); null otherwise. */
  holder: string | null;
  /** When the hold lapses (status 'held'), so a map can grey it out on time even without a sweep. */
  expiresAt: string | null;
}

/** One seat of a generated chart, in drawing units (services/chart-layout.ts lays them out). */
export interface LaidOutSeat {
  section: string;
  row: string;
  seat: string;
  rowOrder: number;
  seatOrder: number;
  x: number;
  y: number;
  zone: string;
  accessible: boolean;
  obstructed: boolean;
  aisle: boolean;
}

export interface ChartLayout {
  seats: LaidOutSeat[];
  width: number;
  height: number;
  sections: string[];
  zones: string[];
}

export interface ChartRow {
  id: number;
  venue_id: number | null;
  name: string;
  description_json: string;
  seat_count: number;
  width: number;
  height: number;
  created_at: string;
}

export interface ChartSeatRow {
  id: number;
  chart_id: number;
  section: string;
  row: string;
  seat: string;
  row_order: number;
  seat_order: number;
  x: number;
  y: number;
  zone: string;
  accessible: number;
  obstructed: number;
  aisle: number;
}

export interface SeatMapRow {
  seat_id: number;
  section: string;
  row: string;
  seat: string;
  x: number;
  y: number;
  zone: string;
  accessible: number;
  obstructed: number;
  aisle: number;
  ticket_id: number | null;
  status: string | null;
  price_cents: number | null;
  currency: string | null;
  holder: string | null;
  expires_at: string | null;
}

export interface HoldRow {
  ticket_id: number;
  event_id: number;
  holder: string;
  expires_at: string | null;
  reservation_id: number | null;
  section: string;
  row: string;
  seat: string | null;
  price_cents: number;
}

export interface ReservationRow {
  id: number;
  event_id: number;
  holder: string;
  quantity: number;
  status: 'active' | 'cancelled' | 'completed';
  customer_name: string | null;
  order_id: number | null;
  cancel_reason: string | null;
  created_at: string;
  updated_at: string;
}

/** A customer's fields as stored (customers table), without its id and creation time. */
export interface CustomerFields {
  name: string | null;
  email: string | null;
  phone: string | null;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
}

/** What one commit looked like, for the durability tests and the bench. */
export interface CommitInfo {
  kind: 'group' | 'write';
  items: number;
  /**
   * The durability setting in force at COMMIT, on the engine's own scale: SQLite's PRAGMA synchronous
   * (0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA); PostgreSQL's synchronous_commit reported as 2 when 'on'
   * (or stronger: remote_write, remote_apply) and 1 for 'local'/'off'.
   */
  synchronous: number;
}
