import { TransferError } from './transfer-error.js';

/** How a PostgreSQL column's values are written; anything else is refused (a new type needs a rule here). */
export type ColumnKind = 'integer' | 'float' | 'text';

export function columnKind(pgType: string): ColumnKind | null {
  if (pgType === 'bigint' || pgType === 'integer' || pgType === 'smallint') return 'integer';
  if (pgType === 'double precision' || pgType === 'real') return 'float';
  if (pgType === 'text') return 'text';
  return null;
}

// What COPY's text format escapes on output, so a row encoded here hashes like the server's COPY TO.
const NEEDS_ESCAPE = /[\\\n\r\t\b\f\v\0]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', '\v': '\\v' };

function escapeText(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  if (s.includes('\0')) throw new Error('a NUL character, which PostgreSQL text cannot hold');
  return s.replace(/[\\\n\r\t\b\f\v]/g, (c) => ESCAPES[c]!);
}

/**
 * One value in COPY text format. The source is read with safe integers (bigint), so cents and ids
 * are exact at any size. The SQLite tables are STRICT, but a value of the wrong kind (text in an
 * integer column, a blob) is refused here rather than coerced: text "08" must never become 8.
 */
export function encodeValue(v: unknown, kind: ColumnKind): string {
  if (v === null || v === undefined) return '\\N';
  switch (kind) {
    case 'integer':
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'number' && Number.isInteger(v)) return String(v);
      break;
    case 'float':
      if (typeof v === 'number') return String(v);
      if (typeof v === 'bigint') return v.toString();
      break;
    case 'text':
      if (typeof v === 'string') return escapeText(v);
      break;
  }
  throw new Error(`a ${Buffer.isBuffer(v) ? 'blob' : typeof v} where PostgreSQL wants ${kind}`);
}

/** A row as one line of COPY text; `where` names the table for the error. */
export function encodeRow(values: readonly unknown[], kinds: readonly ColumnKind[], columns: readonly string[], where: string): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    let cell: string;
    try {
      cell = encodeValue(values[i], kinds[i]!);
    } catch (e) {
      throw new TransferError(`${where}.${columns[i]} holds ${(e as Error).message}; nothing was copied`, 'failed');
    }
    line += i === 0 ? cell : `\t${cell}`;
  }
  return `${line}\n`;
}
