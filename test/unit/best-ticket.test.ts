import { describe, expect, it } from 'vitest';
import { compare, pickTogether, quality, rowRank, score, sectionScore } from '../../electron/core/services/best-ticket.js';

describe('best-ticket formula', () => {
  it('ranks sections by level and rows front to back', () => {
    expect(sectionScore('12')).toBe(1);
    expect(sectionScore('101')).toBe(1);
    expect(sectionScore('205')).toBe(0.88);
    expect(sectionScore('436')).toBe(0.64);
    expect(sectionScore('998')).toBe(0.4);
    expect(sectionScore('GA')).toBe(0.5);
    expect(rowRank('1')).toBe(1);
    expect(rowRank('08')).toBe(8);
    expect(rowRank('C')).toBe(3);
    expect(rowRank('AA')).toBe(27);
    expect(rowRank('GA')).toBeNull();
    expect(quality('101', '1')).toBe(1);
    expect(quality('101', '5')).toBe(0.9);
  });

  it('orders candidates deterministically for every strategy', () => {
    const cands = [
      { listingId: 1, section: '101', row: '1', priceCents: 20000 },
      { listingId: 2, section: '305', row: '20', priceCents: 3000 },
      { listingId: 3, section: '205', row: '2', priceCents: 6000 },
      { listingId: 4, section: '205', row: '2', priceCents: 6000 },
    ];
    const best = (s: 'value' | 'cheapest' | 'closest') => cands.map((c) => score(c, s)).sort(compare(s)).map((c) => c.listingId);
    expect(best('cheapest')).toEqual([2, 3, 4, 1]);
    expect(best('closest')).toEqual([1, 3, 4, 2]);
    // value = quality per $100: 205/2 is 0.858 for $60 (1.43), 305/20 is 0.399 for $30 (1.33), 101/1 is 1 for $200 (0.5)
    expect(best('value')).toEqual([3, 4, 2, 1]);
  });

  it('picks N adjacent numbered seats, or any N unnumbered ones', () => {
    const t = (id: number, seat: string | null) => ({ id, seat });
    expect(pickTogether([t(1, '1'), t(2, '3'), t(3, '4'), t(4, '5')], 3)!.map((x) => x.seat)).toEqual(['3', '4', '5']);
    expect(pickTogether([t(1, '1'), t(2, '3'), t(3, '5')], 2)).toBeNull();
    expect(pickTogether([t(1, null), t(2, null), t(3, null)], 2)!.map((x) => x.id)).toEqual([1, 2]);
    expect(pickTogether([t(1, null)], 2)).toBeNull();
  });
});
