import { AppError, notFound } from '../../../shared/errors.js';
import { publishSold } from '../live/change-feed.js';
import { sellStatements } from '../store/sell-fast-path.js';
import type { Handler } from './handlers.js';
import { sellInTransaction } from './sell.js';

export const fastSellHandlers: { sellAny: Handler<'sellAny'> } = {
  // Picking and selling happen in the same group item, so two concurrent requests can never pick the same ticket.
  sellAny: async (ctx, { id: eventId, quantity, ...sale }) => {
    const result = await ctx.store.writeGrouped((db) => {
      const st = sellStatements(db);
      const ids = st.cheapestAvailable(eventId, quantity);
      if (ids.length < quantity) {
        if (!st.eventExists(eventId)) throw notFound('event', eventId);
        throw new AppError('TICKET_UNAVAILABLE', `Only ${ids.length} ticket(s) of event ${eventId} are left`, { eventId, available: ids.length });
      }
      return sellInTransaction(db, ctx.channel, { ...sale, ticketIds: ids }, ids, '');
    });
    publishSold(ctx.store, result.order.ticketIds);
    return result;
  },
};
