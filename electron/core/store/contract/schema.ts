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
  /** The organizer who owns it (2026-11-21T0630); null = a house event. */
  owner_user_id?: number | null;
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
  // Added by migration 2026-11-21T0600-import-pipeline (the pipeline itself writes with prepared statements).
  mode: Generated<'valid-rows' | 'all-or-nothing'>;
  phase: Generated<'staging' | 'publishing' | 'done'>;
  imported_by: string | null;
  client_ref: string | null;
  owner_pid: number | null;
  /** Added by 2026-12-03T0900-import-owner-host: the machine of owner_pid. */
  owner_host: string | null;
  bytes_read: Generated<number>;
  total_bytes: number | null;
  rows_published: Generated<number>;
  last_line: Generated<number>;
  cancel_requested: Generated<0 | 1>;
  failure_code: 'cancelled' | 'interrupted' | 'rejected-rows' | 'error' | null;
  failure_message: string | null;
  delimiter: string | null;
  encoding: string | null;
  mapping_json: string | null;
  rolled_back_at: string | null;
  updated_at: string | null;
}

export interface ImportStagedRowsTable {
  id: Generated<number>;
  batch_id: number;
  line: number;
  event_id: number;
  section: string;
  row: string;
  quantity: number;
  price_cents: number;
}

export interface ImportRejectedRowsTable {
  id: Generated<number>;
  batch_id: number;
  line: number;
  errors_json: string;
  cells_json: string;
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

export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: string;
  active: number;
  password_hash: string | null;
  pin_hash: string | null;
  seller_id: number | null;
  created_at: string;
  updated_at: string;
  last_sign_in_at: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_sha256: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AppSettingsTable {
  key: string;
  value_json: string;
  updated_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  user_id: number | null;
  username: string | null;
  role: string | null;
  terminal: string | null;
  token_id: number | null;
  operation: string;
  subject: string | null;
  input_json: string;
  before_json: string | null;
  after_json: string | null;
}

// Seating (2026-11-21T0640): charts, their seats, holds and general-admission reservations.
export interface SeatingChartsTable {
  id: Generated<number>;
  venue_id: number | null;
  name: string;
  description_json: string;
  seat_count: number;
  width: number;
  height: number;
  created_at: string;
}

export interface ChartSeatsTable {
  id: Generated<number>;
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

export interface SeatHoldsTable {
  ticket_id: number;
  event_id: number;
  holder: string;
  reservation_id: number | null;
  expires_at: string | null;
  created_at: string;
}

export interface ReservationsTable {
  id: Generated<number>;
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

// Door (2026-12-04T0700): the ticket code key and check-ins.
export interface TicketCodeSecretTable {
  id: number;
  secret: string;
  created_at: string;
}

export interface CheckInsTable {
  id: Generated<number>;
  ticket_id: number;
  event_id: number;
  order_item_id: number;
  at: string;
  user_id: number | null;
  username: string | null;
  door: string;
  undone_at: string | null;
  undone_by: string | null;
}

export interface Database {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  app_settings: AppSettingsTable;
  audit_log: AuditLogTable;
  venues: VenuesTable;
  events: EventsTable;
  sellers: SellersTable;
  import_batches: ImportBatchesTable;
  import_staged_rows: ImportStagedRowsTable;
  import_rejected_rows: ImportRejectedRowsTable;
  listings: ListingsTable;
  tickets: TicketsTable;
  customers: CustomersTable;
  referral_sources: ReferralSourcesTable;
  referral_visits: ReferralVisitsTable;
  orders: OrdersTable;
  order_items: OrderItemsTable;
  payments: PaymentsTable;
  idempotency_keys: IdempotencyKeysTable;
  seating_charts: SeatingChartsTable;
  chart_seats: ChartSeatsTable;
  seat_holds: SeatHoldsTable;
  reservations: ReservationsTable;
  ticket_code_secret: TicketCodeSecretTable;
  check_ins: CheckInsTable;
}
