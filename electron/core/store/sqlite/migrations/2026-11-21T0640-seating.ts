// Frozen once shipped: seating charts, seat holds and general-admission reservations (issue 4).
import { sql, type Kysely } from 'kysely';

const statements = [
  // A chart is drawn once per venue layout; events on it get one ticket per seat.
  `CREATE TABLE seating_charts (
    id INTEGER PRIMARY KEY,
    venue_id INTEGER REFERENCES venues(id),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    description_json TEXT NOT NULL CHECK (json_valid(description_json)),
    seat_count INTEGER NOT NULL CHECK (seat_count >= 0),
    width REAL NOT NULL CHECK (width > 0),
    height REAL NOT NULL CHECK (height > 0),
    created_at TEXT NOT NULL
  ) STRICT`,
  `CREATE INDEX seating_charts_by_venue ON seating_charts (venue_id)`,
  // row_order/seat_order give adjacency (same section+row, consecutive seat_order) independent of labels.
  `CREATE TABLE chart_seats (
    id INTEGER PRIMARY KEY,
    chart_id INTEGER NOT NULL REFERENCES seating_charts(id),
    section TEXT NOT NULL CHECK (length(section) > 0),
    row TEXT NOT NULL CHECK (length(row) > 0),
    seat TEXT NOT NULL CHECK (length(seat) > 0),
    row_order INTEGER NOT NULL,
    seat_order INTEGER NOT NULL,
    x REAL NOT NULL,
    y REAL NOT NULL,
    zone TEXT NOT NULL CHECK (length(zone) > 0),
    accessible INTEGER NOT NULL DEFAULT 0 CHECK (accessible IN (0,1)),
    obstructed INTEGER NOT NULL DEFAULT 0 CHECK (obstructed IN (0,1)),
    aisle INTEGER NOT NULL DEFAULT 0 CHECK (aisle IN (0,1)),
    UNIQUE (chart_id, section, row, seat),
    UNIQUE (chart_id, section, row_order, seat_order)
  ) STRICT`,
  `ALTER TABLE events ADD COLUMN seating_chart_id INTEGER REFERENCES seating_charts(id)`,
  `ALTER TABLE tickets ADD COLUMN chart_seat_id INTEGER REFERENCES chart_seats(id)`,
  // One ticket per chart seat per event: a seat can never be sold twice through two tickets.
  `CREATE UNIQUE INDEX tickets_one_per_chart_seat ON tickets (event_id, chart_seat_id) WHERE chart_seat_id IS NOT NULL`,
  `CREATE TABLE reservations (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id),
    holder TEXT NOT NULL CHECK (length(holder) > 0),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    status TEXT NOT NULL CHECK (status IN ('active','cancelled','completed')),
    customer_name TEXT,
    order_id INTEGER REFERENCES orders(id),
    cancel_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT`,
  `CREATE INDEX reservations_by_event ON reservations (event_id, status)`,
  // A ticket is 'held' exactly while it has a row here; the primary key makes two live holds of one
  // ticket impossible. expires_at NULL = no expiry (reservations); an expired row no longer counts and
  // is swept back to 'available'.
  `CREATE TABLE seat_holds (
    ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id),
    event_id INTEGER NOT NULL REFERENCES events(id),
    holder TEXT NOT NULL CHECK (length(holder) > 0),
    reservation_id INTEGER REFERENCES reservations(id),
    expires_at TEXT,
    created_at TEXT NOT NULL
  ) STRICT`,
  `CREATE INDEX seat_holds_by_event ON seat_holds (event_id, holder)`,
  `CREATE INDEX seat_holds_by_expiry ON seat_holds (expires_at) WHERE expires_at IS NOT NULL`,
  `CREATE INDEX seat_holds_by_reservation ON seat_holds (reservation_id) WHERE reservation_id IS NOT NULL`,
  // A hold ends when its ticket stops being held, whichever path flipped it (a sale converting the
  // hold, a void): the invariant "held exactly while a seat_holds row exists" cannot drift.
  `CREATE TRIGGER seat_holds_end_with_status AFTER UPDATE OF status ON tickets
    WHEN OLD.status = 'held' AND NEW.status <> 'held'
    BEGIN DELETE FROM seat_holds WHERE ticket_id = NEW.id; END`,
  // A reservation whose last ticket was sold is complete (cancelling marks it cancelled first).
  `CREATE TRIGGER reservations_complete_when_sold AFTER DELETE ON seat_holds
    WHEN OLD.reservation_id IS NOT NULL
    BEGIN
      UPDATE reservations SET status = 'completed', updated_at = (SELECT updated_at FROM tickets WHERE id = OLD.ticket_id)
       WHERE id = OLD.reservation_id AND status = 'active'
         AND NOT EXISTS (SELECT 1 FROM seat_holds WHERE reservation_id = OLD.reservation_id);
    END`,
  `ALTER TABLE orders ADD COLUMN cancel_reason TEXT`,
  `ALTER TABLE orders ADD COLUMN cancelled_at TEXT`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const s of [
    'ALTER TABLE orders DROP COLUMN cancelled_at',
    'ALTER TABLE orders DROP COLUMN cancel_reason',
    'DROP TRIGGER reservations_complete_when_sold',
    'DROP TRIGGER seat_holds_end_with_status',
    'DROP TABLE seat_holds',
    'DROP TABLE reservations',
    'DROP INDEX tickets_one_per_chart_seat',
    'ALTER TABLE tickets DROP COLUMN chart_seat_id',
    'ALTER TABLE events DROP COLUMN seating_chart_id',
    'DROP TABLE chart_seats',
    'DROP TABLE seating_charts',
  ]) {
    await sql.raw(s).execute(db);
  }
}
