import { describe, expect, it } from 'vitest';
import { columnKind, encodeRow, encodeValue } from '../../electron/core/store/transfer/copy-text.js';
import { TransferError } from '../../electron/core/store/transfer/transfer-error.js';

/** COPY text format as migrate-store writes it (and hashes it, to compare with the server's COPY TO). */
describe('COPY text encoding', () => {
  it('writes integers exactly, text as text, NULL as \\N', () => {
    expect(encodeValue(9007199254740993n, 'integer')).toBe('9007199254740993');
    expect(encodeValue(0n, 'integer')).toBe('0');
    expect(encodeValue('08', 'text')).toBe('08');
    expect(encodeValue(null, 'text')).toBe('\\N');
    expect(encodeValue('\\N', 'text')).toBe('\\\\N');
    expect(encodeValue(12.5, 'float')).toBe('12.5');
    expect(encodeValue(3n, 'float')).toBe('3');
  });

  it('escapes what COPY escapes on output, and nothing else', () => {
    expect(encodeValue('a\tb\nc\rd\\e\bf\fg\vh', 'text')).toBe('a\\tb\\nc\\rd\\\\e\\bf\\fg\\vh');
    expect(encodeValue('Zürich — 東京 "quoted", ok', 'text')).toBe('Zürich — 東京 "quoted", ok');
  });

  it('refuses a value of the wrong kind instead of coercing it', () => {
    expect(() => encodeValue('08', 'integer')).toThrow(/a string where PostgreSQL wants integer/);
    expect(() => encodeValue(1.5, 'integer')).toThrow(/wants integer/);
    expect(() => encodeValue(8n, 'text')).toThrow(/a bigint where PostgreSQL wants text/);
    expect(() => encodeValue(Buffer.from('x'), 'text')).toThrow(/a blob/);
    expect(() => encodeValue('a\0b', 'text')).toThrow(/NUL/);
    expect(() => encodeRow([1n, 'x'], ['integer', 'integer'], ['id', 'row'], 'tickets')).toThrow(TransferError);
    expect(() => encodeRow([1n, 'x'], ['integer', 'integer'], ['id', 'row'], 'tickets')).toThrow(/tickets\.row holds a string/);
  });

  it('joins a row with tabs and ends it with a newline', () => {
    expect(encodeRow([7n, 'A', null, 2.25], ['integer', 'text', 'text', 'float'], ['id', 's', 'n', 'x'], 't')).toBe('7\tA\t\\N\t2.25\n');
  });

  it('knows the column types the schema uses and no others', () => {
    expect(['bigint', 'integer', 'text', 'double precision'].map(columnKind)).toEqual(['integer', 'integer', 'text', 'float']);
    expect(columnKind('boolean')).toBeNull();
    expect(columnKind('timestamp with time zone')).toBeNull();
  });
});
