import { z } from 'zod';
import { numberToCents, parseMoneyToCents } from '../money.js';
import { Cents, Currency, DateOrDateTime, Id, OffsetDateTime, Slug } from './common.js';

// ---------------------------------------------------------------------------------------------
// Partner `order.created` events (see electron/core/analytics/INGESTION.md for the full contract).
// ---------------------------------------------------------------------------------------------

export const FINANCIAL_STATUSES = ['paid', 'partially_paid', 'partially_refunded', 'authorized', 'pending', 'refunded', 'voided'] as const;
/** Statuses whose order value counts as a sale in the reports; pending/refunded/voided do not. */
export const COUNTED_FINANCIAL_STATUSES: readonly string[] = ['paid', 'partially_paid', 'partially_refunded', 'authorized'];

const MONEY_TEXT = /^\d{1,12}(\.\d{1,2})?$/;

/** A JSON number (19.99) or a decimal string ("19.99"); never negative, never below a cent. */
export const PartnerMoney = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const cents = typeof v === 'number' ? numberToCents(v) : MONEY_TEXT.test(v) ? parseMoneyToCents(v) : null;
  if (cents === null || cents < 0 || !Number.isSafeInteger(cents)) {
    ctx.addIssue({ code: 'custom', message: 'must be a non-negative amount with at most two decimals, e.g. 19.99 or "19.99"' });
    return z.NEVER;
  }
  return cents;
});

/** Producers send quantities as numbers or as digit strings ("2"); "2.5", "", "-1", "2 " are refused. */
export const PartnerQuantity = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : /^[1-9]\d{0,5}$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 999_999) {
    ctx.addIssue({ code: 'custom', message: 'must be a whole number of at least 1 (a number, or digits in a string)' });
    return z.NEVER;
  }
  return n;
});

/** Empty strings (address2: "") mean "not given". */
const OptText = (max = 200) =>
  z
    .string()
    .max(max)
    .nullish()
    .transform((s) => (s == null || s.trim() === '' ? null : s.trim()));

export const PartnerAddress = z.looseObject({
  first_name: OptText(100),
  last_name: OptText(100),
  company: OptText(),
  address1: OptText(),
  address2: OptText(),
  city: OptText(100),
  province: OptText(100),
  province_code: OptText(10),
  country: OptText(100),
  country_code: OptText(3),
  zip: OptText(20),
  phone: OptText(40),
});

export const PartnerLineItem = z.looseObject({
  id: z.union([z.string().trim().min(1).max(100), z.number().int().nonnegative()]).transform(String),
  quantity: PartnerQuantity,
  title: OptText(),
  price: PartnerMoney.optional().describe('unit price; needed when marquee_event_id is given'),
  marquee_event_id: Id.optional().describe('the Marquee event this line sold tickets for, if any'),
});

export const PartnerOrderEvent = z
  .looseObject({
    event_type: z.literal('order.created', { error: 'only order.created events are ingested' }),
    event_id: z.union([z.string().trim().min(1).max(200), z.number().int().nonnegative()]).transform(String),
    event_version: z
      .string()
      .regex(/^1(\.\d+){0,2}$/, 'only version 1.x of the event format is understood')
      .optional(),
    created_at: OffsetDateTime.optional().describe('when the order happened (with offset); omitted → when Marquee received it'),
    email: z.email().max(200).nullish(),
    first_name: OptText(100),
    last_name: OptText(100),
    phone: OptText(40),
    billing_address: PartnerAddress.nullish(),
    shipping_address: PartnerAddress.nullish(),
    currency: Currency,
    financial_status: z.enum(FINANCIAL_STATUSES),
    order_value: PartnerMoney.describe('what the buyer paid, after discounts, tax included'),
    total_discounts: PartnerMoney.optional(),
    total_tax: PartnerMoney.optional(),
    referral: OptText(64).describe('referral source (also read from source_name)'),
    source_name: OptText(64),
    gateway: OptText(40).describe('tender, e.g. cash, card, shopify_payments'),
    clerk: OptText(100).describe('who rang it up, if the partner knows'),
    line_items: z.array(PartnerLineItem).min(1).max(500),
  })
  .superRefine((e, ctx) => {
    e.line_items.forEach((li, i) => {
      if (li.marquee_event_id !== undefined && li.price === undefined) {
        ctx.addIssue({ code: 'custom', path: ['line_items', i, 'price'], message: 'a line with marquee_event_id needs its unit price' });
      }
    });
  });
export type PartnerOrderEvent = z.output<typeof PartnerOrderEvent>;

/** A readable stream or any async iterable of bytes/text (HTTP: an application/x-ndjson body). */
export const NdjsonStream = z.custom<AsyncIterable<Uint8Array | string>>(
  (v) => typeof v === 'object' && v !== null && typeof (v as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function',
  'an NDJSON stream (HTTP: Content-Type application/x-ndjson)',
);

export const MAX_JSON_EVENTS = 1000;

export const IngestOrderEventsInput = z.strictObject({
  channel: Slug.default('partner').describe('the partner sales channel (HTTP: X-Partner-Channel header or body field)'),
  events: z
    .array(z.unknown())
    .min(1)
    .max(MAX_JSON_EVENTS)
    .optional()
    .describe('order.created events; HTTP also takes a bare array or a single event object as the body'),
  ndjson: NdjsonStream.optional().describe('bulk: one event per line (HTTP: Content-Type application/x-ndjson, streamed)'),
});

export const IngestStatus = z.enum(['created', 'duplicate', 'rejected']);

export const IngestResult = z.object({
  /** 0-based position in the array, or 1-based line number for NDJSON. */
  index: z.number().int(),
  eventId: z.string().nullable(),
  status: IngestStatus,
  partnerOrderId: Id.nullable(),
  message: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type IngestResult = z.infer<typeof IngestResult>;

export const IngestReport = z.object({
  channel: z.string(),
  received: z.number().int(),
  created: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  /** Every event for a JSON body; for NDJSON only duplicates and rejections (the first 1,000). */
  results: z.array(IngestResult),
  resultsTruncated: z.boolean(),
});
export type IngestReport = z.infer<typeof IngestReport>;

// ---------------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------------

export const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const TimeZone = z.string().trim().min(1).max(64).refine(isTimeZone, 'an IANA time zone such as America/Chicago');

export const SALES_SOURCES = ['all', 'box-office', 'partner'] as const;

export const ReportRange = {
  from: DateOrDateTime.optional().describe('first local day (YYYY-MM-DD) or an instant; default: 29 days before `to`'),
  to: DateOrDateTime.optional().describe('last local day, inclusive (YYYY-MM-DD), or an exclusive instant; default: today'),
  tz: TimeZone.default('UTC').describe('IANA time zone the days are counted in'),
  source: z.enum(SALES_SOURCES).default('all').describe('box-office orders, ingested partner orders, or both'),
  channels: z
    .string()
    .trim()
    .max(500)
    .regex(/^[a-z0-9][a-z0-9._-]*(,[a-z0-9][a-z0-9._-]*)*$/, 'comma-separated channels: kiosk, api or partner channel names')
    .optional()
    .describe('only these channels (kiosk, api, partner channel names), comma-separated'),
  currency: Currency.default('USD').describe('reports never add up different currencies'),
};

const Money = { revenueCents: Cents, revenue: z.string() };

export const ReportMeta = z.object({
  fromUtc: z.string(),
  toUtc: z.string(),
  tz: z.string(),
  currency: z.string(),
  source: z.enum(SALES_SOURCES),
  channels: z.array(z.string()).nullable(),
});

export const TopCustomersInput = z.strictObject({ ...ReportRange, limit: z.number().int().min(1).max(500).default(10) });
export const TopCustomersReport = z.object({
  meta: ReportMeta,
  items: z.array(
    z.object({ rank: z.number().int(), customerId: Id, name: z.string().nullable(), email: z.string().nullable(), orders: z.number().int(), ...Money }),
  ),
});

export const GRANULARITIES = ['day', 'week', 'month'] as const;
export const RevenueInput = z.strictObject({ ...ReportRange, granularity: z.enum(GRANULARITIES).default('day') });
export const RevenueReport = z.object({
  meta: ReportMeta,
  granularity: z.enum(GRANULARITIES),
  items: z.array(z.object({ period: z.string().describe('local day, Monday of the week, or YYYY-MM'), orders: z.number().int(), ...Money })),
  total: z.object({ orders: z.number().int(), ...Money }),
});

export const RegionInput = z.strictObject({
  ...ReportRange,
  level: z.enum(['region', 'country']).default('region').describe('state/province (with its country) or country'),
  address: z.enum(['billing', 'shipping']).default('billing').describe("which of a partner order's addresses counts"),
});
export const RegionReport = z.object({
  meta: ReportMeta,
  level: z.enum(['region', 'country']),
  items: z.array(z.object({ country: z.string().nullable(), region: z.string().nullable(), orders: z.number().int(), ...Money })),
});

export const ReferralInput = z.strictObject({ ...ReportRange });
export const ReferralReport = z.object({
  meta: ReportMeta,
  items: z.array(z.object({ referral: z.string().nullable(), orders: z.number().int(), ...Money })),
});

export const EventSalesInput = z.strictObject({ ...ReportRange });
export const EventSalesReport = z.object({
  meta: ReportMeta,
  items: z.array(
    z.object({
      eventId: Id,
      eventName: z.string(),
      startsAt: z.string(),
      sold: z.number().int().describe('tickets sold in the range (box office + partner lines tied to the event)'),
      ...Money,
      averagePriceCents: Cents.nullable(),
      listed: z.number().int().describe('box-office tickets listed now (not void)'),
      soldNow: z.number().int().describe('box-office tickets sold now, any date'),
      sellThrough: z.number().nullable().describe('soldNow / listed, 0..1'),
    }),
  ),
});

export const SellerSalesInput = z.strictObject({ ...ReportRange });
export const SellerSalesReport = z.object({
  meta: ReportMeta,
  items: z.array(
    z.object({
      sellerId: Id.nullable(),
      seller: z.string().describe('seller name, or partner:<channel> for ingested orders'),
      orders: z.number().int(),
      tickets: z.number().int(),
      ...Money,
    }),
  ),
});

export const ShiftInput = z.strictObject({ ...ReportRange });
export const ShiftReport = z.object({
  meta: ReportMeta,
  items: z.array(
    z.object({
      channel: z.string(),
      tender: z.string().nullable(),
      clerk: z.string().nullable().describe('box office: the signed-in account that made the sale (audit log); partner: the event’s clerk field'),
      orders: z.number().int(),
      amountCents: Cents,
      amount: z.string(),
      tenderedCents: Cents,
      changeCents: Cents,
    }),
  ),
  cashExpectedCents: Cents.describe('cash taken at the box office: what the drawer should hold above its float'),
  cashExpected: z.string(),
});

export const REPORTS = ['top-customers', 'revenue', 'regions', 'referrals', 'events', 'sellers', 'shift'] as const;
export const ExportReportInput = z.strictObject({
  report: z.enum(REPORTS),
  ...ReportRange,
  limit: z.number().int().min(1).max(500).default(10),
  granularity: z.enum(GRANULARITIES).default('day'),
  level: z.enum(['region', 'country']).default('region'),
  address: z.enum(['billing', 'shipping']).default('billing'),
});
export const ExportReportOutput = z.object({ fileName: z.string(), contentType: z.literal('text/csv'), rows: z.number().int(), csv: z.string() });
