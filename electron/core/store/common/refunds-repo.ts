import type { Trx } from '../contract/store.js';

/** The order as a refund or void sees it: live lines, their events' owners, and how it was paid. */
export async function orderForChange(db: Trx, code: string) {
  const order = await db.selectFrom('orders').select(['id', 'code', 'status', 'total_cents', 'created_at']).where('code', '=', code.toUpperCase()).executeTakeFirst();
  if (!order) return null;
  const lines = await db
    .selectFrom('order_items as oi')
    .innerJoin('tickets as t', 't.id', 'oi.ticket_id')
    .innerJoin('events as e', 'e.id', 't.event_id')
    .select(['oi.id', 'oi.ticket_id', 'oi.price_cents', 't.event_id', 'e.owner_user_id'])
    .where('oi.order_id', '=', order.id)
    .where('oi.voided_at', 'is', null)
    .execute();
  const tenders = await db.selectFrom('payments').select(['tender', 'amount_cents']).where('order_id', '=', order.id).execute();
  return { order, lines, tenders };
}

/**
 * Ends an order and frees its tickets, in the caller's transaction: the order flips only if it is
 * still completed (a concurrent refund loses), its lines are voided, and its tickets go back on sale.
 */
export async function endOrder(trx: Trx, orderId: number, ticketIds: number[], status: 'refunded' | 'cancelled', now: string): Promise<boolean> {
  const r = await trx.updateTable('orders').set({ status }).where('id', '=', orderId).where('status', '=', 'completed').executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  await trx.updateTable('order_items').set({ voided_at: now }).where('order_id', '=', orderId).where('voided_at', 'is', null).execute();
  if (ticketIds.length > 0) {
    await trx.updateTable('tickets').set({ status: 'available', updated_at: now }).where('id', 'in', ticketIds).where('status', '=', 'sold').execute();
  }
  return true;
}
