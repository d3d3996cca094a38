import { describe, expect, it } from 'vitest';
import { localToOffsetDateTime, normaliseOffsetDateTime, toUtcIso } from '../../shared/time.js';

describe('time', () => {
  it('attaches the venue offset to a local wall time, across DST', () => {
    expect(localToOffsetDateTime('2019-09-14T18:10', 'America/Los_Angeles')).toBe('2019-09-14T18:10:00-07:00');
    expect(localToOffsetDateTime('2019-11-12T19:00', 'America/Chicago')).toBe('2019-11-12T19:00:00-06:00');
    expect(localToOffsetDateTime('2026-07-01T20:00', 'America/Toronto')).toBe('2026-07-01T20:00:00-04:00');
  });
  it('normalises offsets and converts to UTC', () => {
    expect(normaliseOffsetDateTime('2026-12-01T19:30Z')).toBe('2026-12-01T19:30:00+00:00');
    expect(normaliseOffsetDateTime('2026-12-01T19:30:15-0600')).toBe('2026-12-01T19:30:15-06:00');
    expect(toUtcIso('2026-12-01T19:30:00-06:00')).toBe('2026-12-02T01:30:00.000Z');
  });
});
