import { holdClock } from '../store/contract/hold-clock.js';
import { listingSaleRequestHash } from '../store/contract/sale-rules.js';
import type { Handler } from './handlers.js';

export const fastSellHandlers: { sellAny: Handler<'sellAny'>; sellFromListing: Handler<'sellFromListing'> } = {
  sellAny: async (ctx, { id: eventId, quantity, ...sale }) => {
    const result = await ctx.store.task('sellAny', { channel: ctx.channel, eventId, quantity, sale, holdNowMs: holdClock.now() });
    ctx.store.feed.publishSold(result.order.ticketIds);
    return result;
  },

  // N of one listing, picked and sold in one task under the engine's locks: two clerks never get the same ticket.
  sellFromListing: async (ctx, { id: listingId, quantity, ...sale }) => {
    const requestHash = sale.idempotencyKey ? listingSaleRequestHash(listingId, quantity, sale) : '';
    const result = await ctx.store.task('sellListing', { channel: ctx.channel, listingId, quantity, sale, requestHash, holdNowMs: holdClock.now() });
    ctx.store.feed.publishSold(result.order.ticketIds);
    return result;
  },
};
