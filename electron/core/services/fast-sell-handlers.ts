import { holdClock } from '../store/contract/hold-clock.js';
import type { Handler } from './handlers.js';

export const fastSellHandlers: { sellAny: Handler<'sellAny'> } = {
  sellAny: async (ctx, { id: eventId, quantity, ...sale }) => {
    const result = await ctx.store.task('sellAny', { channel: ctx.channel, eventId, quantity, sale, holdNowMs: holdClock.now() });
    ctx.store.feed.publishSold(result.order.ticketIds);
    return result;
  },
};
