import { z } from 'zod';
import { Cents, Id, Slug, Text } from './common.js';

export const TENDERS = ['cash', 'card', 'comp'] as const;
export const Tender = z.enum(TENDERS);

export const CustomerInput = z.strictObject({
  name: Text(100).optional(),
  email: z.email().optional(),
  phone: Text(40).optional(),
  addressLine1: Text().optional(),
  addressLine2: Text().optional(),
  city: Text(100).optional(),
  region: Text(100).optional(),
  postalCode: Text(20).optional(),
  country: Text(100).optional(),
});

export const PaymentInput = z
  .strictObject({
    tender: Tender,
    tenderedCents: Cents.optional().describe('cash handed over; change due is computed'),
  })
  .describe('how the order is paid; omitted means card for the exact total');

export const SaleFields = {
  customer: CustomerInput.optional().describe('omit for a walk-in'),
  referral: Slug.optional().describe('where the order came from (direct, google, espn, …)'),
  payment: PaymentInput.optional(),
  channel: z.enum(['kiosk', 'api']).optional().describe('defaults to kiosk over IPC, api over HTTP'),
  holder: z.string().trim().min(1).max(100).optional().describe('terminal id whose seat holds this sale converts (see holdSeats)'),
};

export const SellTicketInput = z.strictObject({ id: Id, ...SaleFields });

export const OrderInput = z.strictObject({
  ticketIds: z.array(Id).min(1).max(100),
  ...SaleFields,
  idempotencyKey: z.string().min(1).max(200).optional().describe('HTTP: the Idempotency-Key header'),
});

export const OrderRef = z.object({
  id: Id,
  code: z.string(),
  ticketIds: z.array(Id),
  totalCents: Cents,
  total: z.string(),
  createdAt: z.string(),
});

export const OrderResult = z.object({
  order: OrderRef.extend({
    changeDueCents: Cents.nullable(),
    tender: Tender,
  }),
});

export const OrderLine = z.object({
  ticketId: Id,
  eventId: Id,
  eventName: z.string(),
  startsAt: z.string(),
  venueName: z.string(),
  city: z.string(),
  section: z.string(),
  row: z.string(),
  seat: z.string().nullable(),
  priceCents: Cents,
  price: z.string(),
});

export const OrderDetail = z.object({
  id: Id,
  code: z.string(),
  channel: z.string(),
  status: z.string(),
  referral: z.string().nullable(),
  totalCents: Cents,
  total: z.string(),
  currency: z.string(),
  createdAt: z.string(),
  customer: z.object({ id: Id, name: z.string().nullable(), email: z.string().nullable() }).nullable(),
  payments: z.array(
    z.object({ tender: Tender, amountCents: Cents, tenderedCents: Cents.nullable(), changeDueCents: Cents.nullable() }),
  ),
  lines: z.array(OrderLine),
});
export type OrderDetail = z.infer<typeof OrderDetail>;

export const OrderListQuery = z.strictObject({
  q: z.string().trim().max(100).optional().describe('order code, customer name or email'),
  limit: z.number().int().min(1).max(200).default(50),
});

export const OrderSummary = z.object({
  id: Id,
  code: z.string(),
  channel: z.string(),
  totalCents: Cents,
  total: z.string(),
  ticketCount: z.number().int(),
  customerName: z.string().nullable(),
  customerEmail: z.string().nullable(),
  createdAt: z.string(),
});
