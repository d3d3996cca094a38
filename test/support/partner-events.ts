/** A minimal valid partner order.created event; override what the test is about. */
export const partnerEvent = (id: string, over: Record<string, unknown> = {}) => ({
  event_type: 'order.created',
  event_id: id,
  email: `${id}@example.com`,
  currency: 'USD',
  financial_status: 'paid',
  order_value: 10,
  line_items: [{ id: 'sku-1', quantity: 1 }],
  ...over,
});
