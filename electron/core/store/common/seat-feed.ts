import { EventEmitter } from 'node:events';
import type { SeatFeed } from '../contract/store.js';
import type { SeatChange } from '../contract/shapes.js';

type Listener = (change: SeatChange) => void;

export interface FeedHooks {
  /** Lapsed holds back to available (a task); the feed sweeps while anybody follows a map. */
  sweep(): Promise<SeatChange[]>;
  /** The events of sold tickets, for publishSold. */
  eventsOfTickets(ticketIds: readonly number[]): Promise<SeatChange[]>;
}

/**
 * Seat changes of one store, in process: subscribers hear each committed change once. Writers
 * publish only after their COMMIT, so nobody sees a change that was rolled back. While anyone
 * listens, a sweeper turns lapsed holds back into available seats and publishes that.
 *
 * An engine whose store is shared by several processes (PostgreSQL) overrides `announce` to send the
 * change to every terminal and calls `deliver` for what arrives, its own changes included.
 */
export class LocalSeatFeed implements SeatFeed {
  private readonly emitter = new EventEmitter();
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    protected readonly hooks: FeedHooks,
    private readonly sweepMs = 1000,
  ) {
    this.emitter.setMaxListeners(0);
  }

  /** Someone in this process follows a map. */
  get listening(): boolean {
    return this.emitter.listenerCount('change') > 0;
  }

  /** Whether a sale must look up its events to announce them: on a shared store anybody anywhere may listen. */
  protected wantsSold(): boolean {
    return this.listening;
  }

  publish(change: SeatChange): void {
    if (change.ticketIds.length > 0) this.announce(change);
  }

  publishSold(ticketIds: readonly number[]): void {
    if (ticketIds.length === 0 || !this.wantsSold()) return;
    this.hooks.eventsOfTickets(ticketIds).then(
      (changes) => changes.forEach((c) => this.publish(c)),
      () => undefined, // the sale is committed either way; a map that missed it reads the map again on its next change
    );
  }

  /** Where a change goes: here, to this process's subscribers. */
  protected announce(change: SeatChange): void {
    this.deliver(change);
  }

  protected deliver(change: SeatChange): void {
    this.emitter.emit('change', change);
  }

  protected resync(): void {
    this.emitter.emit('resync');
  }

  onResync(listener: () => void): () => void {
    this.emitter.on('resync', listener);
    return () => this.emitter.off('resync', listener);
  }

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
      this.hooks
        .sweep()
        .then((changes) => changes.forEach((c) => this.publish(c)))
        .catch(() => undefined) // a closed, busy or unreachable store: the next tick tries again
        .finally(() => (running = false));
    }, this.sweepMs);
    this.sweepTimer.unref();
  }

  stopSweeper(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
  }

  close(): void {
    this.stopSweeper();
    this.emitter.removeAllListeners();
  }
}
