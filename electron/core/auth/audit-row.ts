import type { OperationName } from '../../../shared/operations/index.js';
import type { AuditInsert } from '../store/repos/audit-repo.js';

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
  return {
    ...t.row,
    at: new Date(t.atMs).toISOString(),
    input_json: json(t.input) ?? '{}',
    subject: t.subject ?? subjectOf(t.row.operation as OperationName, undefined, result) ?? t.fallbackSubject,
    after_json: t.after_json ?? json(result),
  };
}
