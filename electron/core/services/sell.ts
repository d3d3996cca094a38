import { AppError } from '../../../shared/errors.js';
import { holdClock } from '../store/contract/hold-clock.js';
import { saleRequestHash } from '../store/contract/sale-rules.js';
import type { SaleInput, SaleResult } from '../store/contract/tasks.js';
import type { OpContext } from './context.js';

export type { SaleInput, SaleResult } from '../store/contract/tasks.js';

function checkDistinct(ticketIds: number[]): number[] {
  if (ticketIds.length < 2) return ticketIds;
  const ids = [...new Set(ticketIds)];
  if (ids.length !== ticketIds.length) {
    throw new AppError('VALIDATION_FAILED', 'a ticket id appears twice in the order', { ticketIds });
  }
  return ids;
}

/**
 * Sells the tickets of one order: all or nothing, as the store's sell task (group-committed on
 * SQLite, row-locked on PostgreSQL); the answer comes only after its durable COMMIT.
 */
export async function sell(ctx: OpContext, input: SaleInput): Promise<SaleResult> {
  const ids = checkDistinct(input.ticketIds);
  const requestHash = input.idempotencyKey ? saleRequestHash(input) : '';
  const result = await ctx.store.task('sell', { channel: ctx.channel, input, ids, requestHash, holdNowMs: holdClock.now() });
  ctx.store.feed.publishSold(result.order.ticketIds);
  return result;
}
