import { EventEmitter } from 'node:events';
import type { Store } from '../store/sqlite/database.js';
import { eventsOfTickets, sweepExpiredHolds, ticketsOfEventIn } from '../store/sqlite/seating-repo.js';
import { holdNowIso } from './hold-clock.js';

/** One committed change of seats/tickets of one event, as pushed to seat maps. */
export interface SeatChange {
  eventId: number;
  ticketIds: number[];
  status: 'available' | 'held' | 'sold';
  /** Who holds them now (status 'held'); null otherwise. */
  holder: string | null;
  /** When the hold lapses (status 'held'), so a map can grey it out on time even without a sweep. */
  expiresAt: string | null;
}

type Listener = (change: SeatChange) => void;

/**
 * In-process feed of committed seat changes, one per store (tests run many stores in one process).
 * Writers publish only after their COMMIT, so a subscriber never sees a change that was rolled back.
 * While anyone listens, a sweeper turns lapsed holds back into available seats and publishes that.
 */
export class ChangeFeed {
  private readonly emitter = new EventEmitter();
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(private readonly store: Store, private readonly sweepMs = 1000) {
    this.emitter.setMaxListeners(0);
  }

  get listening(): boolean {
    return this.emitter.listenerCount('change') > 0;
  }

  publish(change: SeatChange): void {
    if (change.ticketIds.length > 0) this.emitter.emit('change', change);
  }

  /** Every change, or only one event's; returns the unsubscribe function. */
  subscribe(listener: Listener, eventId?: number): () => void {
    const wrapped: Listener = eventId === undefined ? listener : (c) => c.eventId === eventId && listener(c);
    this.emitter.on('change', wrapped);
    this.startSweeper();
    return () => {
      this.emitter.off('change', wrapped);
      if (!this.listening) this.stopSweeper();
    };
  }

  private startSweeper(): void {
    if (this.sweepTimer) return;
    let running = false;
    this.sweepTimer = setInterval(() => {
      if (running) return;
      running = true;
      sweepExpiredHolds(this.store, holdNowIso())
        .then((changes) => changes.forEach((c) => this.publish(c)))
        .catch(() => undefined) // a closed or busy store: the next tick tries again
        .finally(() => (running = false));
    }, this.sweepMs);
    this.sweepTimer.unref();
  }

  stopSweeper(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
  }
}

const feeds = new WeakMap<Store, ChangeFeed>();

/** The store itself, not a per-call wrapper of it (the audit recorder hands handlers Object.create(store)). */
function baseStore(store: Store): Store {
  let s = store;
  while (!Object.hasOwn(s, 'writerRaw')) s = Object.getPrototypeOf(s) as Store;
  return s;
}

export function feedOf(store: Store): ChangeFeed {
  const base = baseStore(store);
  let f = feeds.get(base);
  if (!f) {
    f = new ChangeFeed(base);
    feeds.set(base, f);
  }
  return f;
}

/** After a committed sale: tell seat maps. Only when someone listens, so the sale path pays nothing otherwise. */
export function publishSold(store: Store, ticketIds: readonly number[]): void {
  const feed = feedOf(store);
  if (!feed.listening || ticketIds.length === 0) return;
  const db = store.readerRaw;
  for (const eventId of eventsOfTickets(db, ticketIds)) {
    feed.publish({ eventId, ticketIds: ticketsOfEventIn(db, eventId, ticketIds), status: 'sold', holder: null, expiresAt: null });
  }
}
