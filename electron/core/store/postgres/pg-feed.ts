import { LocalSeatFeed, type FeedHooks } from '../common/seat-feed.js';
import type { SeatChange } from '../contract/shapes.js';

export const SEATS_CHANNEL = 'marquee_seats';
// NOTIFY payloads must stay under 8,000 bytes; ids are at most 16 characters each.
const IDS_PER_NOTICE = 400;

/** A change as NOTIFY payloads, split so each fits. */
export function seatNotices(change: SeatChange): string[] {
  const out: string[] = [];
  for (let at = 0; at < change.ticketIds.length; at += IDS_PER_NOTICE) {
    out.push(JSON.stringify({ ...change, ticketIds: change.ticketIds.slice(at, at + IDS_PER_NOTICE) }));
  }
  return out;
}

/**
 * The seat feed of a store every terminal shares: a change goes out as NOTIFY and comes back to
 * every terminal's LISTEN connection (this one's too), which hands it to the local subscribers.
 * While the LISTEN link is down, this terminal's own changes are delivered here directly; when it
 * comes back, subscribers are told to read their maps again (they may have missed others').
 *
 * Sales are announced by the store right after their COMMIT (`soldCommitted`), not inside the sale's
 * transaction: a NOTIFY in a transaction takes a database-wide lock from its commit until the end of
 * the commit, WAL flush included, so every sale would flush alone. Notifications are not durable
 * anyway; the store already knows the events it sold, so publishSold has nothing left to do. Sales
 * committed close together share one NOTIFY statement, sent with synchronous_commit off (nothing
 * of the sale waits for it).
 */
export class PgSeatFeed extends LocalSeatFeed {
  linked = false;

  constructor(
    hooks: FeedHooks,
    private readonly notify: (payload: string) => Promise<unknown>,
    private readonly notifyMany: (payloads: string[]) => Promise<unknown> = (ps) => Promise.all(ps.map((p) => notify(p))),
  ) {
    super(hooks);
  }

  private pending: SeatChange[] = [];
  private flushing = false;

  /** The store announces its sales itself (soldCommitted), with the events it already knows. */
  protected override wantsSold(): boolean {
    return false;
  }

  /** Sales that just committed: announced to every terminal (this one's maps hear them back through LISTEN). */
  soldCommitted(changes: readonly SeatChange[]): void {
    if (changes.length === 0) return;
    if (!this.linked) {
      // Unlinked, this terminal's own maps still hear it; the others resync when their link returns.
      if (this.listening) for (const c of changes) this.deliver(c);
      return;
    }
    this.pending.push(...changes);
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => this.flush());
    }
  }

  /** One statement for every sale that committed since the last one was sent. */
  private flush(): void {
    const changes = this.pending;
    this.pending = [];
    const payloads = changes.flatMap((c) => seatNotices(c));
    this.notifyMany(payloads)
      .catch(() => changes.forEach((c) => this.deliver(c)))
      .finally(() => {
        if (this.pending.length > 0) setImmediate(() => this.flush());
        else this.flushing = false;
      });
  }

  protected override announce(change: SeatChange): void {
    if (!this.linked) {
      this.deliver(change);
      return;
    }
    for (const p of seatNotices(change)) {
      this.notify(p).catch(() => this.deliver(change));
    }
  }

  /** A NOTIFY payload from the LISTEN connection. */
  received(payload: string): void {
    let change: SeatChange;
    try {
      change = JSON.parse(payload) as SeatChange;
    } catch {
      return;
    }
    if (typeof change?.eventId === 'number' && Array.isArray(change.ticketIds)) this.deliver(change);
  }

  linkChanged(up: boolean): void {
    this.linked = up;
    if (up) this.resync();
  }
}
