import {
  EventSalesInput,
  EventSalesReport,
  ExportReportInput,
  ExportReportOutput,
  IngestOrderEventsInput,
  IngestReport,
  ReferralInput,
  ReferralReport,
  RegionInput,
  RegionReport,
  RevenueInput,
  RevenueReport,
  SellerSalesInput,
  SellerSalesReport,
  ShiftInput,
  ShiftReport,
  TopCustomersInput,
  TopCustomersReport,
} from '../schemas/analytics.js';
import { op } from './define.js';

const RANGE_NOTE =
  ' Every report takes from/to (local days in tz, or instants), tz (IANA), source (all|box-office|partner), channels and currency, and merges box-office orders with ingested partner orders.';

/** Sales analytics and partner order-event ingestion (issue 7). */
export const analyticsOps = {
  ingestOrderEvents: op({
    summary:
      'Ingest partner order.created events: one event, an array or {events}, or application/x-ndjson (streamed, any size). ' +
      'Each event is validated on its own; valid ones are stored (order, customer, addresses and the raw event), invalid ones are rejected with reasons and store nothing. ' +
      'Idempotent by event_id: a replay stores nothing and is reported as duplicate. Money becomes cents exactly (numbers or decimal strings, never negative or sub-cent); ' +
      'quantities may be numbers or digit strings ("2"); the order time is created_at (with offset) or else the time received. Responds 400 only when every event was rejected.',
    input: IngestOrderEventsInput,
    output: IngestReport,
    http: {
      method: 'POST',
      path: '/order-events',
      bareBody: 'events',
      stream: { contentType: 'application/x-ndjson', field: 'ndjson' },
      headers: { 'x-partner-channel': 'channel' },
    },
    permission: 'import',
    mutates: true,
    ownTextCheck: ['events'],
    tags: ['analytics'],
  }),
  reportTopCustomers: op({
    summary: 'Top N customers by spend in a date range.' + RANGE_NOTE,
    input: TopCustomersInput,
    output: TopCustomersReport,
    http: { method: 'GET', path: '/reports/top-customers' },
    permission: 'manage-events',
    mutates: false,
    tags: ['analytics'],
  }),
  reportRevenue: op({
    summary: 'Revenue and order count by local day, week (from Monday) or month, with the total.' + RANGE_NOTE,
    input: RevenueInput,
    output: RevenueReport,
    http: { method: 'GET', path: '/reports/revenue' },
    permission: 'manage-events',
    mutates: false,
    tags: ['analytics'],
  }),
  reportSalesByRegion: op({
    summary: "Sales by state/province or by country (box office: the customer's address; partner: billing or shipping address)." + RANGE_NOTE,
    input: RegionInput,
    output: RegionReport,
    http: { method: 'GET', path: '/reports/regions' },
    permission: 'manage-events',
    mutates: false,
    tags: ['analytics'],
  }),
  reportSalesByReferral: op({
    summary: 'Sales by referral source.' + RANGE_NOTE,
    input: ReferralInput,
    output: ReferralReport,
    http: { method: 'GET', path: '/reports/referrals' },
    permission: 'manage-events',
    mutates: false,
    tags: ['analytics'],
  }),
  reportEventSales: op({
    summary: 'Per event: tickets sold and revenue in the range, average price, and sell-through of the listed inventory.' + RANGE_NOTE,
    input: EventSalesInput,
    output: EventSalesReport,
    http: { method: 'GET', path: '/reports/events' },
    permission: 'manage-events',
    mutates: false,
    tags: ['analytics'],
  }),
  reportSellerSales: op({
    summary: 'Sales by seller (box office by ticket seller; partner orders as partner:<channel>).' + RANGE_NOTE,
    input: SellerSalesInput,
    output: SellerSalesReport,
    http: { method: 'GET', path: '/reports/sellers' },
    permission: 'manage-events',
    mutates: false,
    tags: ['analytics'],
  }),
  reportShift: op({
    summary:
      'Cash drawer reconciliation for a shift: takings by channel, tender and clerk (box office: the signed-in account that rang the sale up, from the audit log; null for token or system sales).' +
      RANGE_NOTE,
    input: ShiftInput,
    output: ShiftReport,
    http: { method: 'GET', path: '/reports/shift' },
    permission: 'sell',
    mutates: false,
    tags: ['analytics'],
  }),
  exportReport: op({
    summary: 'Any sales report as CSV text (same parameters as the report).',
    input: ExportReportInput,
    output: ExportReportOutput,
    http: { method: 'GET', path: '/reports/:report/csv' },
    permission: 'manage-events',
    mutates: false,
    tags: ['analytics'],
  }),
};
