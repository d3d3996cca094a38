import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { rejectedCsv, safeCell, toSafeCsv } from '../../electron/core/import/csv-export.js';
import { countBreaks, detectDelimiter, detectLinebreak } from '../../electron/core/import/csv-rows.js';
import { firstInvalidUtf8 } from '../../electron/core/import/csv-source.js';
import { headerScore, matchHeader } from '../../electron/core/import/listing-rules.js';

describe('formula-injection-safe CSV cells', () => {
  it('prefixes cells that start with = + - @ tab or CR, and leaves the rest and numbers alone', () => {
    expect(['=1+1', '+SUM(A1)', '-2', '@cmd', '\tx', '\rx'].map(safeCell)).toEqual(["'=1+1", "'+SUM(A1)", "'-2", "'@cmd", "'\tx", "'\rx"]);
    expect(['GA', '08', 'P P', 'a=b', ''].map(safeCell)).toEqual(['GA', '08', 'P P', 'a=b', '']);
    expect(safeCell(-5)).toBe(-5);
    expect(safeCell(null)).toBe('');
  });

  it('round-trips through papaparse with quotes, commas and newlines intact', () => {
    const csv = toSafeCsv(['a', 'b'], [['x,y', 'say "hi"\nthere'], ['=cmd|calc', 3]]);
    expect(Papa.parse(csv).data).toEqual([
      ['a', 'b'],
      ['x,y', 'say "hi"\nthere'],
      ["'=cmd|calc", '3'],
    ]);
  });

  it('rejected rows: line, problems, then the original cells', () => {
    const csv = rejectedCsv([
      { line: 7, errors: ['a', 'b'], cells: ['1', '=x'] },
      { line: 9, errors: ['c'], cells: ['1', '2', '3'] },
    ]);
    expect(csv).toBe("line,problems,field1,field2,field3\r\n7,a; b,1,'=x,\r\n9,c,1,2,3\r\n");
  });
});

describe('reading CSV text', () => {
  it('counts CRLF, LF and lone CR as one line break each', () => {
    expect(countBreaks('a\r\nb\nc\rd', 0, 9)).toBe(3);
    expect(countBreaks('\r\n\r\n', 0, 4)).toBe(2);
  });

  it('detects the line ending and the delimiter, preferring the one under which the header makes sense', () => {
    expect(detectLinebreak('a,b\r\nc')).toBe('\r\n');
    expect(detectLinebreak('a,b\rc')).toBe('\r');
    expect(detectLinebreak('a,b\nc\r\n')).toBe('\n');
    expect(detectDelimiter('eventId;section;quantity;price;row\n107;A;2;12,50;B\n', '\n', headerScore)).toBe(';');
    expect(detectDelimiter('eventId\tsection\tquantity\tprice\trow\n107\tA,B\t2\t12\tB\n', '\n', headerScore)).toBe('\t');
    expect(detectDelimiter('eventId,section,quantity,price,row\n107,"A;B",2,12,B\n', '\n', headerScore)).toBe(',');
  });

  it('matches header names flexibly', () => {
    expect(['eventId', 'event_id', 'Event ID', ' EVENT-ID ', '\uFEFFeventId', 'Price ($)', 'price', 'Qty', 'SECTION', 'Row'].map(matchHeader)).toEqual([
      'eventId', 'eventId', 'eventId', 'eventId', 'eventId', 'price', 'price', 'quantity', 'section', 'row',
    ]);
    expect(matchHeader('notes')).toBeUndefined();
  });

  it('finds the first byte that breaks UTF-8, overlongs and surrogates included', () => {
    expect(firstInvalidUtf8(Buffer.from('Général 東 🎟️'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xe9, 0x41]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xc0, 0xaf]))).toBe(1); // overlong "/"
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // UTF-16 surrogate
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xe6, 0x9d]))).toBe(1); // cut short
  });
});
