import { AppError } from '../../../shared/errors.js';

/**
 * Sign-in throttle: after `max` failures for one username within `windowMs`, further attempts are
 * refused (429, Retry-After) until the oldest failure leaves the window. Keyed by username, not
 * address, because a kiosk's PIN pad is one address for everyone; a success clears the count.
 * In memory: a restart forgets it, which costs an attacker a restart per 5 guesses.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    readonly max = 5,
    readonly windowMs = 15 * 60 * 1000,
    readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** Throws TOO_MANY_REQUESTS while the username is locked out. */
  check(key: string): void {
    const list = this.recent(key);
    if (list.length >= this.max) {
      const retryAfterSeconds = Math.max(1, Math.ceil((list[0]! + this.windowMs - this.now()) / 1000));
      throw new AppError('TOO_MANY_REQUESTS', `Too many failed sign-ins for this account; try again in ${Math.ceil(retryAfterSeconds / 60)} min`, {
        retryAfterSeconds,
      });
    }
  }

  fail(key: string): void {
    this.failures.set(key, [...this.recent(key), this.now()]);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}
