import type SQLite from 'better-sqlite3';
import type { OperationName } from '../../../shared/operations/index.js';
import { nowIso } from '../../../shared/time.js';
import type { DB, Store, TaskRunner } from '../store/database.js';
import { insertAudit, insertAuditSync, type AuditInsert } from '../store/repos/audit-repo.js';
import type { Actor, AuditNote } from '../services/context.js';
import { json, subjectOf, type AuditTemplate } from './audit-row.js';

export { redact } from './audit-row.js';

export interface AuditRecorder {
  /** The store handlers see: its first write of the call also writes the audit entry, in the same transaction. */
  store: Store;
  /** After a successful call: writes the entry if no write of the call did (e.g. a dry run, a sign-out). */
  finish(result: unknown): Promise<void>;
}

/**
 * Exactly one audit entry per successful mutating call. The entry rides in the call's first write
 * transaction (so a sale and its entry commit together, in the same group-commit SAVEPOINT), and
 * if that transaction rolls back, so does the entry and the next write carries it instead.
 */
export function auditRecorder(store: Store, name: OperationName, input: unknown, caller: Actor | null, note: AuditNote): AuditRecorder {
  let state: 'none' | 'pending' | 'done' = 'none';
  const base = (): AuditTemplate['row'] => {
    const who = note.actor ?? caller;
    return {
      at: nowIso(),
      user_id: who?.userId ?? null,
      username: who?.username ?? (who === null ? 'system' : null),
      role: who?.role ?? null,
      terminal: who?.terminal ?? null,
      token_id: who?.tokenId ?? null,
      operation: name,
      input_json: json(input) ?? '{}',
      before_json: json(note.before),
    };
  };
  const row = (result: unknown): AuditInsert => ({
    ...base(),
    subject: note.subject ?? subjectOf(name, input, result),
    after_json: json(note.after ?? result),
  });
  const claim = () => {
    if (state !== 'none') return false;
    state = 'pending';
    return true;
  };
  const proxy = Object.create(store) as Store;
  const write = <T>(fn: (trx: DB) => Promise<T>): Promise<T> =>
    store.write(async (trx) => {
      const mine = claim();
      try {
        const r = await fn(trx);
        if (mine) {
          await insertAudit(trx, row(r));
          state = 'done';
        }
        return r;
      } finally {
        if (mine && state === 'pending') state = 'none';
      }
    });
  const template = (): AuditTemplate => {
    return {
      row: base(),
      subject: note.subject ?? null,
      fallbackSubject: subjectOf(name, input, undefined),
      after_json: note.after === undefined ? null : json(note.after),
    };
  };
  Object.defineProperties(proxy, {
    writeTask: {
      value: (task: string, args: object, runHere: TaskRunner) => {
        const mine = claim();
        const sent = mine ? { ...args, audit: template() } : args;
        return store.writeTask(task, sent, runHere).then(
          (r) => {
            if (mine) state = 'done';
            return r;
          },
          (err: unknown) => {
            if (mine && state === 'pending') state = 'none';
            throw err;
          },
        );
      },
    },
    write: { value: write },
    writeSync: { value: <T>(fn: (raw: SQLite.Database) => T) => write(async () => fn(store.writerRaw)) },
    writeGrouped: {
      value: <T>(fn: (db: SQLite.Database) => T) =>
        store.writeGrouped((db) => {
          const mine = claim();
          try {
            const r = fn(db);
            if (mine) {
              insertAuditSync(db, row(r));
              state = 'done';
            }
            return r;
          } finally {
            if (mine && state === 'pending') state = 'none';
          }
        }),
    },
  });
  return {
    store: proxy,
    finish: async (result) => {
      if (state === 'done') return;
      state = 'done';
      await store.write((trx) => insertAudit(trx, row(result)));
    },
  };
}
