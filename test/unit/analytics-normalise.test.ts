import { describe, expect, it } from 'vitest';
import { normaliseEvent } from '../../electron/core/analytics/normalise.js';
import { PartnerMoney, PartnerQuantity } from '../../shared/schemas/analytics.js';

describe('partner money to cents', () => {
  it.each([
    [5.0, 500],
    [19.99, 1999],
    [0.29, 29],
    [1234567.89, 123456789],
    ['19.99', 1999],
    ['0.5', 50],
    ['7', 700],
    [0, 0],
  ])('%s → %i cents', (v, cents) => {
    expect(PartnerMoney.parse(v)).toBe(cents);
  });

  it.each([[19.999], [1.005], [-5], [-0.01], ['-5'], ['5.'], ['.5'], ['1,5'], ['$5'], ['5 '], ['1e3'], [Number.MAX_VALUE], [true], [null]])('refuses %s', (v) => {
    expect(PartnerMoney.safeParse(v).success).toBe(false);
  });
});

describe('partner quantities', () => {
  it.each([[2, 2], ['2', 2], ['12', 12]])('%s → %i', (v, n) => expect(PartnerQuantity.parse(v)).toBe(n));
  it.each([[0], [-1], [2.5], ['2.5'], ['02'], [''], [' 2'], ['two'], ['1e2'], [null]])('refuses %s', (v) => {
    expect(PartnerQuantity.safeParse(v).success).toBe(false);
  });
});

describe('normaliseEvent', () => {
  const base = {
    event_type: 'order.created',
    event_id: 'e-1',
    currency: 'USD',
    financial_status: 'refunded',
    order_value: '12.50',
    billing_address: { first_name: 'Ann', last_name: 'Lee', province: '', province_code: 'IL', country_code: 'US', address2: '' },
    line_items: [{ id: 'a', quantity: '2', price: '6.25', marquee_event_id: 107 }],
  };

  it('maps the event onto an order, taking names and codes from the address when that is all there is', () => {
    const n = normaliseEvent(base, JSON.stringify(base), 'shop', '2026-11-20T18:00:00.000Z');
    expect(n.ok).toBe(true);
    if (!n.ok) return;
    expect(n.order).toMatchObject({
      eventId: 'e-1',
      channel: 'shop',
      counted: false, // refunded orders are kept but are not sales
      totalCents: 1250,
      occurredAt: '2026-11-20T18:00:00.000Z',
      timeSource: 'received',
      billing: { region: 'IL', country: 'US', address2: null, first_name: 'Ann' },
      shipping: null,
      customer: { name: 'Ann Lee', email: null, region: 'IL', country: 'US' },
      items: [{ productId: 'a', quantity: 2, priceCents: 625, eventId: 107 }],
    });
    expect(n.order.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps unknown fields in the raw event rather than refusing them', () => {
    const withExtra = { ...base, lovevery_user_id: '66f6', discount_codes: 'xxx', buyer_accepts_marketing: true };
    const n = normaliseEvent(withExtra, JSON.stringify(withExtra), 'shop', '2026-11-20T18:00:00.000Z');
    expect(n.ok && JSON.parse(n.order.raw)).toMatchObject({ lovevery_user_id: '66f6' });
  });

  it('names every problem of an invalid event, with its event_id when it has one', () => {
    const bad = { ...base, currency: 'dollars', order_value: -1, line_items: [{ quantity: '1.5' }] };
    const n = normaliseEvent(bad, '', 'shop', '2026-11-20T18:00:00.000Z');
    expect(n.ok).toBe(false);
    if (n.ok) return;
    expect(n.eventId).toBe('e-1');
    expect(n.errors.map((e) => e.path).sort()).toEqual(['currency', 'line_items.0.id', 'line_items.0.quantity', 'order_value']);
  });
});
