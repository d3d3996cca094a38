import type { Generated } from 'kysely';

// Kysely table types; column names are the SQL ones (snake_case).
export interface VenuesTable {
  id: Generated<number>;
  name: string;
  address_line1: string | null;
  address_line2: string | null;
  address_line3: string | null;
  city: string;
  region: string | null;
  postal_code: string | null;
  country: string;
  timezone: string;
  created_at: string;
}

export interface EventsTable {
  id: Generated<number>;
  name: string;
  venue_id: number;
  starts_at: string;
  starts_at_utc: string;
  local_date: string;
  category: string;
  status: string;
  capacity: number | null;
  created_at: string;
  updated_at: string;
}

export interface SellersTable {
  id: Generated<number>;
  name: string;
  email: string | null;
  created_at: string;
}

export interface ImportBatchesTable {
  id: Generated<number>;
  seller_id: number;
  file_name: string | null;
  sha256: string;
  status: 'running' | 'completed' | 'failed' | 'rolled_back';
  rows_read: Generated<number>;
  rows_imported: Generated<number>;
  rows_rejected: Generated<number>;
  tickets_created: Generated<number>;
  errors_json: Generated<string>;
  created_at: string;
  completed_at: string | null;
}

export interface ListingsTable {
  id: Generated<number>;
  event_id: number;
  seller_id: number;
  section: string;
  row: string;
  seats_json: string | null;
  quantity: number;
  price_cents: number;
  currency: string;
  source: 'ui' | 'api' | 'import' | 'seed';
  import_batch_id: number | null;
  source_line: number | null;
  created_at: string;
}

export interface TicketsTable {
  id: Generated<number>;
  listing_id: number;
  event_id: number;
  seller_id: number;
  section: string;
  row: string;
  seat: string | null;
  price_cents: number;
  currency: string;
  status: Generated<'available' | 'held' | 'sold' | 'void'>;
  updated_at: string;
}

export interface CustomersTable {
  id: Generated<number>;
  name: string | null;
  email: string | null;
  phone: string | null;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
  created_at: string;
}

export interface ReferralSourcesTable {
  slug: string;
  created_at: string;
}

export interface ReferralVisitsTable {
  id: Generated<number>;
  referral: string;
  event_id: number;
  visited_at: string;
}

export interface OrdersTable {
  id: Generated<number>;
  code: string;
  customer_id: number | null;
  channel: 'kiosk' | 'api' | 'import' | 'partner';
  status: Generated<'completed' | 'cancelled' | 'refunded'>;
  referral: string | null;
  total_cents: number;
  currency: string;
  created_at: string;
}

export interface OrderItemsTable {
  id: Generated<number>;
  order_id: number;
  ticket_id: number;
  price_cents: number;
  voided_at: string | null;
}

export interface PaymentsTable {
  id: Generated<number>;
  order_id: number;
  tender: 'cash' | 'card' | 'comp';
  amount_cents: number;
  tendered_cents: number | null;
  change_cents: number | null;
  created_at: string;
}

export interface IdempotencyKeysTable {
  key: string;
  operation: string;
  request_hash: string;
  response_json: string;
  created_at: string;
}

export interface Database {
  venues: VenuesTable;
  events: EventsTable;
  sellers: SellersTable;
  import_batches: ImportBatchesTable;
  listings: ListingsTable;
  tickets: TicketsTable;
  customers: CustomersTable;
  referral_sources: ReferralSourcesTable;
  referral_visits: ReferralVisitsTable;
  orders: OrdersTable;
  order_items: OrderItemsTable;
  payments: PaymentsTable;
  idempotency_keys: IdempotencyKeysTable;
}
