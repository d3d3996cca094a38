import { describe, expect, it } from 'vitest';
import { newOrderCode } from '../../electron/core/store/contract/order-code.js';

const FORMAT = /^MQ-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

describe('order codes', () => {
  it('read like MQ-XXXX-XXXX in Crockford base32 (no I, L, O, U)', () => {
    for (let i = 0; i < 2000; i++) expect(newOrderCode(1_700_000_000_000 + i * 7)).toMatch(FORMAT);
  });

  it('codes of the same 10 ms share their first three characters, so they sit together in the unique index', () => {
    const t = 1_800_000_000_000;
    const a = newOrderCode(t);
    const b = newOrderCode(t + 9);
    const c = newOrderCode(t + 10);
    expect(a.slice(0, 6)).toBe(b.slice(0, 6));
    expect(c.slice(0, 6)).not.toBe(a.slice(0, 6));
    // consecutive ticks sort next to each other
    expect([c, a].sort()[0]).toBe(a);
  });

  it('keeps 25 random bits after the prefix: a thousand codes of one tick are (almost) all different', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => newOrderCode(1_800_000_000_000)));
    // birthday bound: 1000 draws from 2^25 collide with probability about 1.5 %
    expect(codes.size).toBeGreaterThanOrEqual(998);
  });

  it('the prefix wraps after 32^3 ticks (5.5 minutes) instead of growing', () => {
    const t = 1_800_000_000_000 - (1_800_000_000_000 % (32 ** 3 * 10));
    expect(newOrderCode(t).slice(3, 6)).toBe('000');
    expect(newOrderCode(t - 10).slice(3, 6)).toBe('ZZZ');
  });
});
