import { api, expect } from './fixtures.js';

interface Best {
  ticket: { id: number };
}
export interface DoorCode {
  code: string;
  display: string;
  section: string;
  row: string;
  seat: string | null;
}

/** One ticket sold as its own order (over the API, as a partner would), with its signed code. */
export async function sellOne(eventId: number): Promise<{ orderCode: string; ticket: DoorCode }> {
  const best = await api<Best>(`/api/v1/events/${eventId}/tickets/best?strategy=cheapest&quantity=1`);
  const sold = await api<{ order: { code: string } }>('/api/v1/orders', { json: { ticketIds: [best.ticket.id], payment: { tender: 'card' } } });
  const codes = await api<{ items: DoorCode[] }>(`/api/v1/orders/${sold.order.code}/ticket-codes`);
  expect(codes.items).toHaveLength(1);
  return { orderCode: sold.order.code, ticket: codes.items[0]! };
}
