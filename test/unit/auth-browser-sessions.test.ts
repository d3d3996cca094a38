import { afterEach, describe, expect, it, vi } from 'vitest';
import { BrowserSessions } from '../../electron/core/http/auth.js';
import { LoginThrottle } from '../../electron/core/auth/throttle.js';

afterEach(() => vi.useRealTimers());

describe('browser sessions', () => {
  it('a login code signs in as its user, once', () => {
    const s = new BrowserSessions();
    const code = s.newLoginCode(7);
    const sid = s.redeem(code)!;
    expect(s.userOf(sid)).toBe(7);
    expect(s.redeem(code)).toBeNull();
  });

  it('ends a session left idle longer than the idle lock, and keeps a used one alive', () => {
    vi.useFakeTimers({ now: new Date('2026-11-21T12:00:00Z') });
    const s = new BrowserSessions();
    const busy = s.create(1);
    const idle = s.create(2);
    for (let i = 0; i < 6; i++) {
      vi.advanceTimersByTime(60_000);
      expect(s.userOf(busy, 5 * 60_000)).toBe(1);
    }
    expect(s.userOf(idle, 5 * 60_000)).toBeUndefined();
    expect(s.valid(idle)).toBe(false);
  });
});

describe('login throttle', () => {
  it('locks a username after 5 failures in the window and frees it when the oldest leaves it', () => {
    let now = 0;
    const t = new LoginThrottle(5, 15 * 60_000, () => now);
    for (let i = 0; i < 4; i++) {
      t.check('carl');
      t.fail('carl');
      now += 60_000;
    }
    t.check('carl');
    t.fail('carl');
    expect(() => t.check('carl')).toThrow(expect.objectContaining({ code: 'TOO_MANY_REQUESTS', details: { retryAfterSeconds: 11 * 60 } }));
    expect(() => t.check('olivia')).not.toThrow();
    now = 15 * 60_000 + 1; // the first failure has left the window: 4 remain
    expect(() => t.check('carl')).not.toThrow();
    t.succeed('carl');
    for (let i = 0; i < 4; i++) t.fail('carl');
    expect(() => t.check('carl')).not.toThrow();
  });
});
