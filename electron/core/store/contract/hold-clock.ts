/**
 * The clock hold expiry is judged by. Tests replace `now` to move time forward without waiting;
 * everything that compares against expires_at (holds, sweeps, the sale guard) reads it here.
 */
export const holdClock = { now: (): number => Date.now() };

export const holdNowIso = (): string => new Date(holdClock.now()).toISOString();
