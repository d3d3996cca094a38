import type SQLite from 'better-sqlite3';
import type { OperationName } from '../../../shared/operations/index.js';
import { nowIso } from '../../../shared/time.js';
import type { DB, Store } from '../store/database.js';
import { insertAudit, insertAuditSync, type AuditInsert } from '../store/repos/audit-repo.js';
import type { Actor, AuditNote } from '../services/context.js';

// Secrets and their hashes never reach the log (a hash of a 4-digit PIN is as good as the PIN).
const SECRET_KEYS = /^(password|pin|token|secret)$|_hash$|_sha256$|^(password|pin)_/i;
const MAX_STRING = 500;
const MAX_ITEMS = 50;

/** What goes into the log: secrets replaced, big payloads (CSV bodies, streams, long lists) summarised. */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length} chars)` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return String(value);
  if (depth > 6) return '[…]';
  if (Array.isArray(value)) {
    const head = value.slice(0, MAX_ITEMS).map((v) => redact(v, depth + 1));
    return value.length > MAX_ITEMS ? [...head, `… ${value.length - MAX_ITEMS} more`] : head;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return '[stream]';
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEYS.test(k) && v !== null && v !== undefined) out[k] = '[redacted]';
      else if (k === 'csv' && typeof v === 'string') out[k] = `[csv, ${v.length} chars]`;
      else out[k] = redact(v, depth + 1);
    }
    return out;
  }
  return String(value);
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(redact(v)));

/** A short handle on what was changed, for filtering: order:MQ-…, event:12, user:3 … */
export function subjectOf(name: OperationName, input: unknown, result: unknown): string | null {
  const code = (result as { order?: { code?: unknown } } | null)?.order?.code;
  if (typeof code === 'string') return `order:${code}`;
  const i = (input ?? {}) as Record<string, unknown>;
  if (typeof i.code === 'string') return `order:${i.code}`;
  if (typeof i.id === 'number') return `${name}:${i.id}`;
  return null;
}

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
  const row = (result: unknown): AuditInsert => {
    const who = note.actor ?? caller;
    return {
      at: nowIso(),
      user_id: who?.userId ?? null,
      username: who?.username ?? (who === null ? 'system' : null),
      role: who?.role ?? null,
      terminal: who?.terminal ?? null,
      token_id: who?.tokenId ?? null,
      operation: name,
      subject: note.subject ?? subjectOf(name, input, result),
      input_json: json(input) ?? '{}',
      before_json: json(note.before),
      after_json: json(note.after ?? result),
    };
  };
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
  Object.defineProperties(proxy, {
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
