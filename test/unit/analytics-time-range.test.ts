import { describe, expect, it } from 'vitest';
import { dayIndexOfBucket, localDateOf, localDayStartMs, offsetMinutes, resolveRange, weekOf } from '../../electron/core/analytics/time-range.js';
import { AppError } from '../../shared/errors.js';

const H = 3600000;

describe('local days as UTC instants', () => {
  it('knows offsets on both sides of a DST change', () => {
    expect(offsetMinutes('America/Chicago', Date.parse('2026-01-15T12:00:00Z'))).toBe(-360);
    expect(offsetMinutes('America/Chicago', Date.parse('2026-07-15T12:00:00Z'))).toBe(-300);
    expect(offsetMinutes('Asia/Kolkata', Date.parse('2026-07-15T12:00:00Z'))).toBe(330);
    expect(offsetMinutes('UTC', Date.parse('2026-07-15T12:00:00Z'))).toBe(0);
  });

  it('finds the UTC start of a local day and the local day of an instant', () => {
    expect(new Date(localDayStartMs('2026-11-20', 'America/Chicago')).toISOString()).toBe('2026-11-20T06:00:00.000Z');
    expect(new Date(localDayStartMs('2026-07-04', 'America/Chicago')).toISOString()).toBe('2026-07-04T05:00:00.000Z');
    expect(new Date(localDayStartMs('2026-11-21', 'Asia/Kolkata')).toISOString()).toBe('2026-11-20T18:30:00.000Z');
    expect(localDateOf(Date.parse('2026-11-21T05:30:00Z'), 'America/Chicago')).toBe('2026-11-20');
    expect(localDateOf(Date.parse('2026-11-21T06:00:00Z'), 'America/Chicago')).toBe('2026-11-21');
  });

  it('DST days last 23 and 25 hours', () => {
    const spring = resolveRange('2026-03-08', '2026-03-08', 'America/Chicago');
    expect(spring.dayStarts[1]! - spring.dayStarts[0]!).toBe(23 * H);
    const fall = resolveRange('2026-11-01', '2026-11-01', 'America/Chicago');
    expect(fall.dayStarts[1]! - fall.dayStarts[0]!).toBe(25 * H);
    expect(fall).toMatchObject({ fromUtc: '2026-11-01T05:00:00.000Z', toUtc: '2026-11-02T06:00:00.000Z', days: ['2026-11-01'], bucketChars: 13 });
  });
});

describe('resolveRange', () => {
  it('takes local days (to inclusive) or instants (to exclusive)', () => {
    const days = resolveRange('2026-11-20', '2026-11-21', 'America/Chicago');
    expect(days).toMatchObject({ fromUtc: '2026-11-20T06:00:00.000Z', toUtc: '2026-11-22T06:00:00.000Z', days: ['2026-11-20', '2026-11-21'] });
    const shift = resolveRange('2026-11-20T16:00:00-06:00', '2026-11-21T01:00:00-06:00', 'America/Chicago');
    expect(shift).toMatchObject({ fromUtc: '2026-11-20T22:00:00.000Z', toUtc: '2026-11-21T07:00:00.000Z', days: ['2026-11-20', '2026-11-21'] });
  });

  it('defaults to the 30 local days ending today', () => {
    const r = resolveRange(undefined, undefined, 'America/Chicago', Date.parse('2026-11-21T03:00:00Z'));
    expect(r.days).toHaveLength(30);
    expect(r.days[29]).toBe('2026-11-20'); // 21:00 on the 20th in Chicago
    expect(r.days[0]).toBe('2026-10-22');
  });

  it('groups by minute only where a day does not start on a UTC hour', () => {
    expect(resolveRange('2026-11-20', '2026-11-21', 'Asia/Kolkata').bucketChars).toBe(16);
    expect(resolveRange('2026-11-20', '2026-11-21', 'Asia/Kathmandu').bucketChars).toBe(16);
    expect(resolveRange('2026-11-20', '2026-11-21', 'Europe/Paris').bucketChars).toBe(13);
  });

  it('refuses a reversed or empty range', () => {
    expect(() => resolveRange('2026-11-21', '2026-11-20', 'UTC')).toThrow(AppError);
    expect(() => resolveRange('2026-11-21T10:00:00Z', '2026-11-21T10:00:00Z', 'UTC')).toThrow(/before/);
  });

  it('refuses more than ten years', () => {
    expect(() => resolveRange('2000-01-01', '2026-01-01', 'UTC')).toThrow(/at most/);
  });
});

describe('buckets to days', () => {
  it('puts each UTC hour or minute bucket in its local day', () => {
    const chi = resolveRange('2026-11-20', '2026-11-21', 'America/Chicago');
    expect(dayIndexOfBucket(chi, '2026-11-21T05')).toBe(0); // 23:00–23:59 on the 20th
    expect(dayIndexOfBucket(chi, '2026-11-21T06')).toBe(1);
    expect(dayIndexOfBucket(chi, '2026-11-23T06')).toBe(-1);
    const ist = resolveRange('2026-11-20', '2026-11-21', 'Asia/Kolkata');
    expect(dayIndexOfBucket(ist, '2026-11-20T18:15')).toBe(0);
    expect(dayIndexOfBucket(ist, '2026-11-20T18:30')).toBe(1);
  });

  it('weeks start on Monday', () => {
    expect(weekOf('2026-11-22')).toBe('2026-11-16'); // a Sunday
    expect(weekOf('2026-11-16')).toBe('2026-11-16');
    expect(weekOf('2026-11-01')).toBe('2026-10-26');
  });
});
