/**
 * The queue in front of the PostgreSQL sell batches (pg-sell-batch.ts). A sale submitted while
 * fewer than `inFlight` batches are being written starts one at the next turn of the event loop
 * (so the requests that came in on the same turn go with it); one submitted while they are all busy
 * waits and goes with the next. The batch size follows the load by itself: one sale at a time when
 * the box office is quiet, up to `maxBatch` in a rush.
 */
export interface SellLaneOptions {
  /** Sales per batch at most (default 100). */
  maxBatch?: number;
  /** Batches being written at once (default 2: one being built while another waits for its WAL flush). */
  inFlight?: number;
}

export interface SellLaneStats {
  /** Batches of two or more sales written (one sale alone takes the per-sale path). */
  batches: number;
  /** Sales that went through the lane, batched or alone. */
  items: number;
  largest: number;
  /** Sales of a batch that did not win their tickets there and were run on their own afterwards. */
  alone: number;
  /** Batches whose statements failed and whose sales were all run on their own. */
  fellBack: number;
  /** Batches written as one statement (nothing changed between the read of their tickets and the write). */
  oneStatement: number;
  /** Batches written as a transaction that decided sale by sale (the one statement's guard refused, or it is off). */
  transaction: number;
}

export interface Pending<A, R> {
  args: A;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export class SellLane<A, R> {
  readonly stats: SellLaneStats = { batches: 0, items: 0, largest: 0, alone: 0, fellBack: 0, oneStatement: 0, transaction: 0 };
  private queue: Pending<A, R>[] = [];
  private running = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly inFlight: number;

  constructor(
    private readonly run: (batch: Pending<A, R>[]) => Promise<void>,
    o: SellLaneOptions = {},
  ) {
    this.maxBatch = Math.max(1, o.maxBatch ?? 100);
    this.inFlight = Math.max(1, o.inFlight ?? 2);
  }

  submit(args: A): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ args, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.scheduled || this.running >= this.inFlight || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    while (this.running < this.inFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.stats.items += batch.length;
      if (batch.length > 1) this.stats.batches++;
      if (batch.length > this.stats.largest) this.stats.largest = batch.length;
      this.running++;
      this.run(batch)
        .catch((err: unknown) => {
          for (const p of batch) p.reject(err);
        })
        .finally(() => {
          this.running--;
          this.kick();
        });
    }
  }
}
