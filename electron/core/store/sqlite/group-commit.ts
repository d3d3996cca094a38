import type SQLite from 'better-sqlite3';

/**
 * Group commit for the hot write paths (sells, holds, reservations).
 *
 * Concurrent requests are collected while they keep arriving (at most `windowMs`, or `maxBatch`
 * items) and written in ONE transaction on the writer connection, so the fsync that
 * synchronous=FULL costs is paid once per group instead of once per sale. Each item runs in its own
 * SAVEPOINT: an item that throws is rolled back to it and rejected alone, the others in the group
 * commit (see `savepoints` for the variant that only takes savepoints when an item needs one).
 * Nobody is answered before COMMIT has returned, i.e. before the group is on disk; if COMMIT itself
 * fails, every item of the group is rejected and nothing is acknowledged.
 *
 * Item functions are synchronous (better-sqlite3 prepared statements): the group transaction never
 * yields to the event loop, so no other statement can interleave on the writer.
 */
export type GroupItem<T> = (db: SQLite.Database) => T;

export interface GroupCommitOptions {
  /** Items per transaction at most; the queue flushes at once when it reaches this. */
  maxBatch?: number;
  /**
   * How long a group may keep collecting (default 1 ms). The group is flushed at the first turn of
   * the event loop that brings no new request, so an idle system never waits for the window; under
   * a rush, requests still arriving from the sockets join the group until the window or maxBatch.
   */
  windowMs?: number;
  /**
   * The synchronous level every commit must run under (2 = FULL). Checked on the connection right
   * before each COMMIT; a mismatch fails the group instead of acknowledging a non-durable commit.
   */
  requiredSynchronous?: number;
  /**
   * 'per-item' (default): every item runs in its own SAVEPOINT. 'when-needed': items run without
   * savepoints; if one throws after it has written (SQLite's total_changes() moved), the group is
   * rolled back and run again with a SAVEPOINT per item. Savepoints cost a copy of every page an
   * item touches, so this skips that cost in the common case, but every item function must then be
   * safe to run twice: no state outside the database (the audit wrapper in auth/audit.ts keeps
   * such state, which is why it is not the default). Either way a failing item leaves no trace and
   * the others commit.
   */
  savepoints?: 'per-item' | 'when-needed';
}

export interface CommitInfo {
  kind: 'group' | 'write';
  items: number;
  /** PRAGMA synchronous on the writer at the moment of COMMIT (0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA). */
  synchronous: number;
}

export interface GroupStats {
  groups: number;
  items: number;
  failedItems: number;
  largestGroup: number;
  /** Wall time spent inside group transactions (items + COMMIT), ms. */
  busyMs: number;
  /** Of which COMMIT (the fsync of the WAL under synchronous=FULL), ms. */
  commitMs: number;
  /** Groups started over with a SAVEPOINT per item because an item failed after writing. */
  replays: number;
  /** The longest COMMIT, ms, and the COMMITs over 10 ms (mostly those that also ran a WAL checkpoint). */
  longestCommitMs: number;
  slowCommits: number;
  slowCommitMs: number;
}

type Outcome = { ok: true; value: unknown } | { ok: false; value: unknown };

interface Pending {
  fn: GroupItem<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class GroupCommitter {
  private queue: Pending[] = [];
  private scheduled = false;
  private collectingSince = 0;
  private seenAtLastTurn = 0;
  private readonly maxBatch: number;
  private readonly windowMs: number;
  private readonly stmts: {
    begin: SQLite.Statement;
    commit: SQLite.Statement;
    rollback: SQLite.Statement;
    savepoint: SQLite.Statement;
    release: SQLite.Statement;
    rollbackTo: SQLite.Statement;
    synchronous: SQLite.Statement;
    totalChanges: SQLite.Statement;
  };
  private readonly savepoints: 'per-item' | 'when-needed';
  readonly stats: GroupStats = { groups: 0, items: 0, failedItems: 0, largestGroup: 0, busyMs: 0, commitMs: 0, replays: 0, longestCommitMs: 0, slowCommits: 0, slowCommitMs: 0 };
  /** Test and bench hook: called inside the transaction right before each COMMIT. */
  onCommit: ((info: CommitInfo) => void) | null = null;

  constructor(
    private readonly db: SQLite.Database,
    /**
     * Runs `flush` when the writer is free of other (async) transactions: at once if it is idle,
     * otherwise after the writes queued before it.
     */
    private readonly exclusive: (flush: () => void) => void,
    private readonly options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 512;
    this.windowMs = options.windowMs ?? 1;
    this.stmts = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT group_item'),
      release: db.prepare('RELEASE group_item'),
      rollbackTo: db.prepare('ROLLBACK TO group_item'),
      synchronous: db.prepare('PRAGMA synchronous').pluck(),
      totalChanges: db.prepare('SELECT total_changes()').pluck(),
    };
    this.savepoints = options.savepoints ?? 'per-item';
  }

  /** Queues fn for the next group; resolves with its result once the group is committed. */
  submit<T>(fn: GroupItem<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => this.enqueue(fn, resolve as (v: unknown) => void, reject));
  }

  /** As submit, with callbacks instead of a promise (the writer lane's thread queues thousands a second). */
  enqueue(fn: GroupItem<unknown>, resolve: (v: unknown) => void, reject: (e: unknown) => void): void {
    this.queue.push({ fn, resolve, reject });
    if (this.queue.length >= this.maxBatch) this.requestFlush(true);
    else this.requestFlush(false);
  }

  get pending(): number {
    return this.queue.length;
  }

  private requestFlush(now: boolean): void {
    if (this.scheduled) {
      if (now) this.flushSoon();
      return;
    }
    this.scheduled = true;
    if (now) return this.flushSoon();
    this.collectingSince = performance.now();
    this.seenAtLastTurn = this.queue.length;
    setImmediate(this.collect);
  }

  /** One turn of the event loop later: more requests came in, so keep collecting, or flush. */
  private readonly collect = (): void => {
    if (!this.scheduled || this.flushing) return;
    const grew = this.queue.length > this.seenAtLastTurn;
    if (grew && this.queue.length < this.maxBatch && performance.now() - this.collectingSince < this.windowMs) {
      this.seenAtLastTurn = this.queue.length;
      setImmediate(this.collect);
      return;
    }
    this.flushSoon();
  };

  private flushing = false;

  private flushSoon(): void {
    if (this.flushing) return;
    this.flushing = true;
    queueMicrotask(() =>
      this.exclusive(() => {
        this.flushing = false;
        this.flush();
      }),
    );
  }

  /** Writes one group. Runs synchronously from BEGIN to COMMIT. */
  flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    const group = this.queue.length <= this.maxBatch ? this.queue : this.queue.slice(0, this.maxBatch);
    this.queue = group === this.queue ? [] : this.queue.slice(this.maxBatch);
    if (this.queue.length > 0) this.requestFlush(false);

    const started = performance.now();
    let outcomes: Outcome[];
    try {
      this.stmts.begin.run();
    } catch (err) {
      for (const p of group) p.reject(err);
      return;
    }
    try {
      let run = this.savepoints === 'per-item' ? null : this.runOptimistic(group);
      if (!run) {
        if (this.savepoints !== 'per-item') {
          // An item failed after it had written: start the group over with a SAVEPOINT per item.
          this.stmts.rollback.run();
          this.stmts.begin.run();
          this.stats.replays++;
        }
        run = this.runWithSavepoints(group);
      }
      outcomes = run;
      const synchronous = this.stmts.synchronous.get() as number;
      const required = this.options.requiredSynchronous;
      if (required !== undefined && synchronous !== required) {
        throw new Error(`refusing to commit: PRAGMA synchronous is ${synchronous}, the store requires ${required}`);
      }
      this.onCommit?.({ kind: 'group', items: group.length, synchronous });
      const commitStarted = performance.now();
      this.stmts.commit.run();
      const commitMs = performance.now() - commitStarted;
      this.stats.commitMs += commitMs;
      if (commitMs > this.stats.longestCommitMs) this.stats.longestCommitMs = commitMs;
      if (commitMs > 10) {
        this.stats.slowCommits++;
        this.stats.slowCommitMs += commitMs;
      }
    } catch (err) {
      // Savepoint bookkeeping or COMMIT failed: nothing of this group is durable, so nobody gets a yes.
      if (this.db.inTransaction) this.stmts.rollback.run();
      for (const p of group) p.reject(err);
      this.stats.failedItems += group.length;
      return;
    }
    this.stats.groups++;
    this.stats.items += group.length;
    for (const o of outcomes) if (!o.ok) this.stats.failedItems++;
    if (group.length > this.stats.largestGroup) this.stats.largestGroup = group.length;
    this.stats.busyMs += performance.now() - started;
    for (let i = 0; i < group.length; i++) {
      const o = outcomes[i]!;
      if (o.ok) group[i]!.resolve(o.value);
      else group[i]!.reject(o.value);
    }
  }

  /**
   * Runs the items one after the other without savepoints. An item that throws before writing
   * anything (the usual failure: ticket gone, bad input) left no trace, so the others carry on.
   * An item that throws after writing cannot be undone alone here: returns null, and the caller
   * replays the whole group with savepoints.
   */
  private runOptimistic(group: Pending[]): Outcome[] | null {
    const outcomes: Outcome[] = new Array(group.length);
    for (let i = 0; i < group.length; i++) {
      const before = this.stmts.totalChanges.get() as number;
      try {
        outcomes[i] = { ok: true, value: group[i]!.fn(this.db) };
      } catch (err) {
        if (!this.db.inTransaction) throw err; // SQLite rolled the whole transaction back (disk full, I/O error)
        if ((this.stmts.totalChanges.get() as number) !== before) return null;
        outcomes[i] = { ok: false, value: err };
      }
    }
    return outcomes;
  }

  /** Each item in its own SAVEPOINT: a failing item is rolled back to it, the others stay. */
  private runWithSavepoints(group: Pending[]): Outcome[] {
    const outcomes: Outcome[] = new Array(group.length);
    for (let i = 0; i < group.length; i++) {
      this.stmts.savepoint.run();
      try {
        outcomes[i] = { ok: true, value: group[i]!.fn(this.db) };
        this.stmts.release.run();
      } catch (err) {
        // Undo this item only; the savepoint stays on the stack until released.
        this.stmts.rollbackTo.run();
        this.stmts.release.run();
        outcomes[i] = { ok: false, value: err };
      }
    }
    return outcomes;
  }

  /** Writes everything still queued (used on close). */
  drain(): void {
    while (this.queue.length > 0) this.flush();
  }
}
