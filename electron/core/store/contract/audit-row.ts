import type { OperationName } from '../../../../shared/operations/index.js';
import type { Insertable } from 'kysely';
import type { AuditLogTable } from './schema.js';

export type AuditInsert = Insertable<AuditLogTable>;

// Secrets and their hashes never reach the log (a hash of a 4-digit PIN is as good as the PIN).
const SECRET_KEYS = /^(password|pin|token|secret|databaseUrl)$|_hash$|_sha256$|^(password|pin)_|^(current|new)password$/i;
const MAX_STRING = 500;
const MAX_ITEMS = 50;

const KEY_PLAIN = 0;
const KEY_SECRET = 1;
const KEY_CSV = 2;
// Keys repeat (every sale logs the same few), so each is classified once.
const keyKinds = new Map<string, number>();
function keyKind(k: string): number {
  let kind = keyKinds.get(k);
  if (kind === undefined) {
    kind = SECRET_KEYS.test(k) ? KEY_SECRET : k === 'csv' ? KEY_CSV : KEY_PLAIN;
    if (keyKinds.size < 4096) keyKinds.set(k, kind);
  }
  return kind;
}

/**
 * What goes into the log: secrets replaced, big payloads (CSV bodies, streams, long lists) summarised.
 * Copy on write: a value with nothing to replace comes back as the same object, so the common entry
 * (a sale: a few ids, an order) costs a walk and no copies. Every write of the box office logs one.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length} chars)` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return String(value);
  if (depth > 6) return '[…]';
  if (Array.isArray(value)) {
    if (value.length > MAX_ITEMS) return [...value.slice(0, MAX_ITEMS).map((v) => redact(v, depth + 1)), `… ${value.length - MAX_ITEMS} more`];
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const r = redact(v, depth + 1);
      if (out === null && r !== v) out = value.slice(0, i);
      if (out !== null) out.push(r);
    }
    return out ?? value;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return '[stream]';
    const src = value as Record<string, unknown>;
    const keys = Object.keys(src);
    let out: Record<string, unknown> | null = null;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const v = src[k];
      const kind = keyKind(k);
      const r =
        kind === KEY_SECRET && v !== null && v !== undefined ? '[redacted]' : kind === KEY_CSV && typeof v === 'string' ? `[csv, ${v.length} chars]` : redact(v, depth + 1);
      if (out === null && r !== v) {
        out = {};
        for (let j = 0; j < i; j++) out[keys[j]!] = src[keys[j]!];
      }
      if (out !== null) out[k] = r;
    }
    return out ?? value;
  }
  return String(value);
}

export const json = (v: unknown) => (v === undefined ? null : JSON.stringify(redact(v)));

/** A short handle on what was changed, for filtering: order:MQ-…, event:12, user:3 … */
export function subjectOf(name: OperationName, input: unknown, result: unknown): string | null {
  const code = (result as { order?: { code?: unknown } } | null)?.order?.code;
  if (typeof code === 'string') return `order:${code}`;
  const i = (input ?? {}) as Record<string, unknown>;
  if (typeof i.code === 'string') return `order:${i.code}`;
  if (typeof i.id === 'number') return `${name}:${i.id}`;
  return null;
}

/**
 * An audit entry made before its write runs (possibly on the writer lane's thread): everything but
 * what depends on the result. `subject` set means the handler named it; otherwise the result's
 * order code wins over `fallbackSubject` (from the input), as in subjectOf. The call's time and input
 * travel raw and are formatted where the row is written: on the lane, that work leaves the serving thread.
 */
export interface AuditTemplate {
  row: Omit<AuditInsert, 'subject' | 'after_json' | 'at' | 'input_json'>;
  /** When the call was made (ms since the epoch). */
  atMs: number;
  /** The call's validated input, not yet redacted. */
  input: unknown;
  subject: string | null;
  fallbackSubject: string | null;
  /** The handler's `after`, already redacted; null = the result is the after. */
  after_json: string | null;
}

export function completeAuditRow(t: AuditTemplate, result: unknown): AuditInsert {
  const r = t.row;
  // Field by field rather than a spread: one row per sale, and the spread cost as much as the JSON.
  return {
    at: new Date(t.atMs).toISOString(),
    user_id: r.user_id,
    username: r.username,
    role: r.role,
    terminal: r.terminal,
    token_id: r.token_id,
    operation: r.operation,
    subject: t.subject ?? subjectOf(r.operation as OperationName, undefined, result) ?? t.fallbackSubject,
    input_json: json(t.input) ?? '{}',
    before_json: r.before_json,
    after_json: t.after_json ?? json(result),
  };
}
