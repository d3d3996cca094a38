import { z } from 'zod';
import { Id } from '../schemas/common.js';
import { OrderResult, SaleFields } from '../schemas/order.js';
import { op } from './define.js';

export const SellAnyInput = z.strictObject({
  id: Id.describe('the event'),
  quantity: z.number().int().min(1).max(20).default(1),
  ...SaleFields,
});

export const SellFromListingInput = z.strictObject({
  id: Id.describe('the listing'),
  quantity: z.number().int().min(1).max(100).default(1),
  ...SaleFields,
  idempotencyKey: z.string().min(1).max(200).optional().describe('HTTP: the Idempotency-Key header; a repeat answers the first sale'),
});

/** On-sale rushes: the server picks the tickets, so clients never race for the same seat id. */
export const fastSellOps = {
  sellAny: op({
    summary: 'Sell the cheapest available ticket(s) of an event in one order (409 when not enough are left)',
    input: SellAnyInput,
    output: OrderResult,
    http: { method: 'POST', path: '/events/:id/sales', status: 201 },
    permission: 'sell',
    mutates: true,
    tags: ['orders'],
  }),
  sellFromListing: op({
    summary: 'Sell N available tickets of one listing in one order; the server picks which (409 when fewer are left)',
    input: SellFromListingInput,
    output: OrderResult,
    http: { method: 'POST', path: '/listings/:id/sales', status: 201, headers: { 'idempotency-key': 'idempotencyKey' } },
    permission: 'sell',
    mutates: true,
    tags: ['orders'],
  }),
};
