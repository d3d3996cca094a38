import type { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../../../shared/errors.js';
import type { TaskLane } from './database.js';
import type { CommitInfo, GroupStats } from './group-commit.js';

/**
 * The main-thread end of the writer lane: a worker thread with its own writer connection that runs
 * the hot writes (named tasks) in group-committed transactions (see services/group-worker.ts).
 *
 * Why a thread: under synchronous=FULL every COMMIT waits for an fsync, and better-sqlite3 waits
 * synchronously. On the serving thread that wait, and the statements of the group, stall every
 * other request; on the lane the serving thread keeps parsing, authorising and answering while the
 * lane writes the previous group. Requests submitted while the lane is busy queue up and become the
 * next group, so the group size adapts to the load by itself.
 *
 * Nothing is acknowledged before the worker reports its group's COMMIT. If the thread dies, every
 * pending task is rejected (none was acknowledged) and the store falls back to its own writer.
 */
export type LaneRequest =
  | { t: 'items'; items: { id: number; name: string; args: unknown }[] }
  | { t: 'observe'; on: boolean }
  | { t: 'stats'; id: number }
  | { t: 'close' };

export type WireError = { app: true; code: ErrorCode; message: string; details?: unknown } | { app: false; message: string; code?: string };

export type LaneReply =
  | { t: 'ready' }
  | { t: 'done'; results: ({ id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError })[] }
  | { t: 'commit'; info: CommitInfo }
  | { t: 'stats'; id: number; stats: GroupStats }
  | { t: 'failed'; message: string }
  | { t: 'closed' };

export function toWire(err: unknown): WireError {
  if (err instanceof AppError) return { app: true, code: err.code, message: err.message, details: err.details };
  const e = err as { message?: unknown; code?: unknown } | null;
  return { app: false, message: String(e?.message ?? err), ...(typeof e?.code === 'string' ? { code: e.code } : {}) };
}

export function fromWire(w: WireError): Error {
  if (w.app) return new AppError(w.code, w.message, w.details);
  // Keeps SQLite's code (SQLITE_CONSTRAINT_…, SQLITE_BUSY) for the store's describeError.
  return Object.assign(new Error(w.message), w.code ? { code: w.code } : {});
}

interface Waiting {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class WriterLane implements TaskLane {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private outbox: { id: number; name: string; args: unknown }[] = [];
  private sendScheduled = false;
  private observer: ((info: CommitInfo) => void) | null = null;
  private dead: Error | null = null;
  private closing: Promise<void> | null = null;
  private readonly statsWaiting = new Map<number, (s: GroupStats) => void>();

  private constructor(
    private readonly worker: Worker,
    private readonly onDeath: (lane: WriterLane, err: Error) => void,
  ) {
    worker.on('message', (m: LaneReply) => this.receive(m));
    worker.on('error', (err) => this.die(err));
    worker.on('exit', (code) => this.die(new Error(`the writer lane's thread exited (${code})`)));
  }

  /** Starts the lane on a worker and waits until its connection is open. */
  static async start(worker: Worker, onDeath: (lane: WriterLane, err: Error) => void): Promise<WriterLane> {
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: LaneReply) => {
        if (m.t === 'ready') done(null);
        else if (m.t === 'failed') done(new Error(`the writer lane could not start: ${m.message}`));
      };
      const onError = (err: Error) => done(err);
      const onExit = (code: number) => done(new Error(`the writer lane's thread exited (${code}) before it was ready`));
      const done = (err: Error | null) => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (err) reject(err);
        else resolve();
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
    const lane = new WriterLane(worker, onDeath);
    worker.unref();
    return lane;
  }

  submit(name: string, args: unknown): Promise<unknown> {
    if (this.dead) return Promise.reject(this.dead);
    if (this.closing) return Promise.reject(new AppError('CONFLICT', 'The store is closing', { retryable: true }));
    const id = this.nextId++;
    // Requests that arrive in one turn of the event loop cross to the lane in one message.
    this.outbox.push({ id, name, args });
    if (!this.sendScheduled) {
      this.sendScheduled = true;
      setImmediate(this.send);
    }
    const answer = new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.holdOpen();
    return answer;
  }

  private readonly send = () => {
    this.sendScheduled = false;
    if (this.outbox.length === 0) return;
    const items = this.outbox;
    this.outbox = [];
    this.worker.postMessage({ t: 'items', items } satisfies LaneRequest);
  };

  observeCommits(fn: ((info: CommitInfo) => void) | null): void {
    this.observer = fn;
    if (!this.dead) this.worker.postMessage({ t: 'observe', on: fn !== null } satisfies LaneRequest);
  }

  /** The lane's group-commit counters (groups, items, COMMIT time …). */
  stats(): Promise<GroupStats> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    const answer = new Promise<GroupStats>((resolve) => this.statsWaiting.set(id, resolve));
    this.holdOpen();
    this.worker.postMessage({ t: 'stats', id } satisfies LaneRequest);
    return answer;
  }

  /** Anything awaited from the lane keeps the process alive; an idle lane does not. */
  private holdOpen(): void {
    if (!this.refd) this.worker.ref();
    this.refd = true;
  }

  private letGo(): void {
    if (this.refd && this.waiting.size === 0 && this.statsWaiting.size === 0 && !this.closing) {
      this.worker.unref();
      this.refd = false;
    }
  }

  private refd = false;

  get pending(): number {
    return this.waiting.size;
  }

  private receive(m: LaneReply): void {
    if (m.t === 'done') {
      for (const r of m.results) {
        const w = this.waiting.get(r.id);
        if (!w) continue;
        this.waiting.delete(r.id);
        if (r.ok) w.resolve(r.value);
        else w.reject(fromWire(r.error));
      }
      this.letGo();
    } else if (m.t === 'commit') {
      this.observer?.(m.info);
    } else if (m.t === 'stats') {
      this.statsWaiting.get(m.id)?.(m.stats);
      this.statsWaiting.delete(m.id);
      this.letGo();
    }
  }

  private die(err: Error): void {
    if (this.dead) return;
    this.dead = err;
    const failure = Object.assign(new Error(`the writer lane stopped: ${err.message}; the write was not made`), { cause: err });
    for (const w of this.waiting.values()) w.reject(failure);
    this.waiting.clear();
    // The thread ending after close() is the plan, not a death to report.
    if (!this.closing) this.onDeath(this, err);
  }

  /** Lets every submitted task finish, then closes the lane's connection and ends its thread. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.dead) return;
      this.send();
      this.worker.ref();
      const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
      this.worker.postMessage({ t: 'close' } satisfies LaneRequest);
      await exited;
    })();
    return this.closing;
  }
}
