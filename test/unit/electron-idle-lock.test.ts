import { describe, expect, it } from 'vitest';
import { IdleLock } from '../../electron/app/idle-lock.js';
import { parseDesktopArgs } from '../../electron/app/desktop-args.js';

function setup(systemIdle: () => number = () => 0) {
  let now = 1_000_000;
  let locks = 0;
  const lock = new IdleLock({ timeoutMs: 60_000, systemIdleSeconds: systemIdle, onLock: () => locks++, now: () => now });
  return {
    lock,
    advance: (ms: number) => {
      now += ms;
      lock.tick();
    },
    locks: () => locks,
  };
}

describe('kiosk idle lock', () => {
  it('locks once after the timeout without window input, and re-arms on activity', () => {
    const t = setup();
    t.advance(59_000);
    expect(t.locks()).toBe(0);
    t.advance(1_000);
    expect(t.locks()).toBe(1);
    t.advance(120_000);
    expect(t.locks()).toBe(1);
    t.lock.activity();
    t.advance(30_000);
    expect(t.locks()).toBe(1);
    t.advance(30_000);
    expect(t.locks()).toBe(2);
  });

  it('counts system-wide input the window did not see', () => {
    let systemIdle = 10;
    const t = setup(() => systemIdle);
    t.advance(90_000);
    expect(t.locks()).toBe(0);
    systemIdle = 61;
    t.advance(1_000);
    expect(t.locks()).toBe(1);
  });

  it('treats a system idle time of 0 as unknown and relies on window input', () => {
    const t = setup(() => 0);
    t.advance(30_000);
    t.lock.activity();
    t.advance(59_999);
    expect(t.locks()).toBe(0);
    t.advance(1);
    expect(t.locks()).toBe(1);
  });
});

describe('desktop arguments', () => {
  it('reads our flags and leaves Chromium’s alone', () => {
    expect(parseDesktopArgs(['dist-electron/main.cjs', '--no-sandbox', '--kiosk', '--data', '/tmp/d', '--idle-minutes=2'], {})).toEqual({
      kiosk: true,
      dataDir: '/tmp/d',
      idleMinutes: 2,
    });
    expect(parseDesktopArgs(['--enable-logging'], {})).toEqual({ kiosk: false });
    expect(parseDesktopArgs(['--data', '--kiosk'], {})).toEqual({ kiosk: true });
    expect(parseDesktopArgs(['--idle-minutes', 'soon'], {})).toEqual({ kiosk: false });
    expect(parseDesktopArgs([], { MARQUEE_DATA_DIR: '/srv/m', MARQUEE_KIOSK: '1' })).toEqual({ kiosk: true, dataDir: '/srv/m' });
  });
});
