import type { OperationName } from '../../../shared/operations/index.js';
import { nowIso } from '../../../shared/time.js';
import type { DB, Store } from '../store/contract/store.js';
import type { TaskArgs, TaskName, TaskResult } from '../store/contract/tasks.js';
import { insertAudit, type AuditInsert } from '../store/common/audit-repo.js';
import type { Actor, AuditNote } from '../services/context.js';
import { json, subjectOf, type AuditTemplate } from '../store/contract/audit-row.js';

export { redact } from '../store/contract/audit-row.js';

export interface AuditRecorder {
  /** The store handlers see: its first write of the call also writes the audit entry, in the same transaction. */
  store: Store;
  /** True until a write of the call has carried the entry. */
  pending(): boolean;
  /** After a successful call: writes the entry if no write of the call did (e.g. a dry run, a sign-out). */
  finish(result: unknown): Promise<void>;
}

/**
 * Exactly one audit entry per successful mutating call. The entry rides in the call's first write
 * transaction (so a sale and its entry commit together, in the same group-commit item), and if that
 * transaction rolls back, so does the entry and the next write carries it instead.
 */
export function auditRecorder(store: Store, name: OperationName, input: unknown, caller: Actor | null, note: AuditNote): AuditRecorder {
  const call = new AuditCall(store, name, input, caller, note);
  // The view handlers get: the store, except that its writes go through this call. Its methods live
  // on one prototype per store (every sale is a call: no closures made per call).
  const view = Object.create(auditedView(store)) as Store & { [CALL]: AuditCall };
  view[CALL] = call;
  return new Recorder(view, call);
}

class Recorder implements AuditRecorder {
  constructor(
    readonly store: Store,
    private readonly call: AuditCall,
  ) {}

  pending(): boolean {
    return this.call.pending();
  }

  finish(result: unknown): Promise<void> {
    return this.call.finish(result);
  }
}

const CALL = Symbol('audit call');
type View = Store & { [CALL]: AuditCall };

class AuditCall {
  private state: 'none' | 'pending' | 'done' = 'none';

  constructor(
    readonly store: Store,
    private readonly name: OperationName,
    private readonly input: unknown,
    private readonly caller: Actor | null,
    private readonly note: AuditNote,
  ) {}

  private who(): AuditTemplate['row'] {
    const who = this.note.actor ?? this.caller;
    return {
      user_id: who?.userId ?? null,
      username: who?.username ?? (who === null ? 'system' : null),
      role: who?.role ?? null,
      terminal: who?.terminal ?? null,
      token_id: who?.tokenId ?? null,
      operation: this.name,
      before_json: json(this.note.before),
    };
  }

  row(result: unknown): AuditInsert {
    return {
      ...this.who(),
      at: nowIso(),
      input_json: json(this.input) ?? '{}',
      subject: this.note.subject ?? subjectOf(this.name, this.input, result),
      after_json: json(this.note.after ?? result),
    };
  }

  /** The entry without what depends on the result, for a task that runs on the writer lane. */
  template(): AuditTemplate {
    return {
      row: this.who(),
      atMs: Date.now(),
      input: this.input,
      subject: this.note.subject ?? null,
      fallbackSubject: subjectOf(this.name, this.input, undefined),
      after_json: this.note.after === undefined ? null : json(this.note.after),
    };
  }

  private owner: object | null = null;

  /**
   * True for the write that is to carry the entry: the first one under way while none has. The same
   * write may ask again (a PostgreSQL transaction retried after a deadlock runs its function again).
   */
  claim(owner: object): boolean {
    if (this.state === 'pending' && this.owner === owner) return true;
    if (this.state !== 'none') return false;
    this.state = 'pending';
    this.owner = owner;
    return true;
  }

  carried(owner: object): void {
    if (this.owner === owner) this.state = 'done';
  }

  /** The write that claimed the entry did not commit: the next write carries it. */
  release(owner: object): void {
    if (this.state === 'pending' && this.owner === owner) {
      this.state = 'none';
      this.owner = null;
    }
  }

  pending(): boolean {
    return this.state !== 'done';
  }

  async finish(result: unknown): Promise<void> {
    if (this.state === 'done') return;
    this.state = 'done';
    await this.store.write((trx) => insertAudit(trx, this.row(result)));
  }
}

const views = new WeakMap<Store, Store>();

function auditedView(store: Store): Store {
  let proto = views.get(store);
  if (proto) return proto;
  proto = Object.create(store) as Store;
  Object.defineProperties(proto, {
    write: {
      value<T>(this: View, fn: (trx: DB) => Promise<T>): Promise<T> {
        const call = this[CALL];
        const owner = {};
        return call.store
          .write(async (trx) => {
            const r = await fn(trx);
            if (call.claim(owner)) await insertAudit(trx, call.row(r));
            return r;
          })
          .then(
            (r) => {
              call.carried(owner);
              return r;
            },
            (err: unknown) => {
              call.release(owner);
              throw err;
            },
          );
      },
    },
    task: {
      value<K extends TaskName>(this: View, task: K, args: TaskArgs<K>): Promise<TaskResult<K>> {
        const call = this[CALL];
        const owner = {};
        const sent = call.claim(owner) ? { ...args, audit: call.template() } : args;
        return call.store.task(task, sent).then(
          (r) => {
            call.carried(owner);
            return r;
          },
          (err: unknown) => {
            call.release(owner);
            throw err;
          },
        );
      },
    },
  });
  views.set(store, proto);
  return proto;
}
