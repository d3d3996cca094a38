import { describe, expect, it } from 'vitest';
import { eventDateTime, money, quickCash } from '../../renderer/src/format.js';

describe('renderer formatting', () => {
  it('shows an event at the venue wall time, whatever zone the kiosk is in', () => {
    expect(eventDateTime('2026-12-05T19:30:00-06:00', 'America/Chicago')).toBe('Sat, Dec 5, 2026 · 7:30 PM CST');
    // 23:30 in Seattle is already the next day in UTC: the day must not move.
    expect(eventDateTime('2026-12-05T23:30:00-08:00', 'America/Los_Angeles')).toBe('Sat, Dec 5, 2026 · 11:30 PM PST');
    expect(eventDateTime('2019-07-04T20:00:00-05:00', 'America/Chicago')).toBe('Thu, Jul 4, 2019 · 8:00 PM CDT');
  });

  it('shows money from integer cents', () => {
    expect(money(4250)).toBe('$42.50');
    expect(money(123456789)).toBe('$1,234,567.89');
    expect(money(null)).toBe('—');
  });

  it('offers exact cash and the next round notes', () => {
    expect(quickCash(3800)).toEqual([3800, 4000, 5000, 10000]);
    expect(quickCash(5000)).toEqual([5000, 6000, 10000]);
    expect(quickCash(0)).toEqual([0]);
  });
});
