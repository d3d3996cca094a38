import { publishSold } from '../live/change-feed.js';
import { holdClock } from '../live/hold-clock.js';
import { groupWrite } from '../store/sqlite/tasks.js';
import type { Handler } from './handlers.js';

export const fastSellHandlers: { sellAny: Handler<'sellAny'> } = {
  sellAny: async (ctx, { id: eventId, quantity, ...sale }) => {
    const result = await groupWrite(ctx.store, 'sellAny', { channel: ctx.channel, eventId, quantity, sale, holdNowMs: holdClock.now() });
    publishSold(ctx.store, result.order.ticketIds);
    return result;
  },
};
