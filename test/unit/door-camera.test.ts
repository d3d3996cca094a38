import { describe, expect, it } from 'vitest';
import { REPEAT_MS, repeatFilter } from '../../renderer/src/components/camera-scanner.js';

describe('camera scanning: one held-up ticket scans once', () => {
  it('passes a code once while it keeps being seen, and again after it was out of view for the window', () => {
    let t = 0;
    const fresh = repeatFilter(REPEAT_MS, () => t);
    expect(fresh('A')).toBe(true);
    // Held up: seen every 150 ms for 5 s, never passed again.
    for (t = 150; t <= 5000; t += 150) expect(fresh('A')).toBe(false);
    // Another ticket in between passes at once.
    expect(fresh('B')).toBe(true);
    // Out of view for longer than the window: a new scan (the door then says "Already scanned").
    t += REPEAT_MS + 1;
    expect(fresh('A')).toBe(true);
    expect(fresh('A')).toBe(false);
  });

  it('passes a code seen longer ago than the window, after many others', () => {
    let t = 0;
    const fresh = repeatFilter(1000, () => t);
    for (let i = 0; i < 500; i++) {
      t += 10;
      expect(fresh(`code-${i}`)).toBe(true);
    }
    t += 1001;
    expect(fresh('code-0')).toBe(true);
  });
});
