export interface IdleLockOptions {
  timeoutMs: number;
  /** Seconds since the last keyboard/mouse input anywhere on the machine (powerMonitor). */
  systemIdleSeconds: () => number;
  onLock: () => void;
  now?: () => number;
}

/**
 * Kiosk idle lock. Activity is the most recent of: input the window received (main sees it via
 * webContents 'input-event', so the page cannot fake or suppress it) and system-wide input
 * (powerMonitor, which on some Linux setups always reports 0 — hence both). Locks once per idle
 * period; any activity re-arms it.
 */
export class IdleLock {
  private lastInput: number;
  private locked = false;
  private readonly now: () => number;

  constructor(private readonly o: IdleLockOptions) {
    this.now = o.now ?? Date.now;
    this.lastInput = this.now();
  }

  /** The window saw input. */
  activity(): void {
    this.lastInput = this.now();
    this.locked = false;
  }

  idleMs(): number {
    const sinceWindowInput = this.now() - this.lastInput;
    const system = this.o.systemIdleSeconds();
    const sinceSystemInput = Number.isFinite(system) && system > 0 ? system * 1000 : Number.POSITIVE_INFINITY;
    // Reports of 0 from powerMonitor are ambiguous (fresh input, or "unknown"); trust the window then.
    return Math.min(sinceWindowInput, sinceSystemInput);
  }

  /** Called on a timer; returns true when it locked on this tick. */
  tick(): boolean {
    const idle = this.idleMs();
    if (idle < this.o.timeoutMs) {
      this.locked = false;
      return false;
    }
    if (this.locked) return false;
    this.locked = true;
    this.o.onLock();
    return true;
  }
}
