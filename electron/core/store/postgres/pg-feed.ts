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
 * Sales announce themselves inside their own transaction (pg-sell.ts), so publishSold has nothing
 * left to do.
 */
export class PgSeatFeed extends LocalSeatFeed {
  linked = false;

  constructor(
    hooks: FeedHooks,
    private readonly notify: (payload: string) => Promise<unknown>,
  ) {
    super(hooks);
  }

  /** Linked, the sale announced itself at COMMIT; unlinked, this terminal's own maps still hear it. */
  protected override wantsSold(): boolean {
    return !this.linked && this.listening;
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
