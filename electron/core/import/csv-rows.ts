import Papa from 'papaparse';
import { AppError } from '../../../shared/errors.js';

export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];
export type Linebreak = '\r\n' | '\n' | '\r';

export interface CsvRow {
  /** Physical line (1-based) where the row starts; quoted newlines and blank lines are counted. */
  line: number;
  /** Physical line where the row ends (after its quoted newlines). */
  lastLine: number;
  cells: string[];
  /** The last field opened a quote that the file never closes. */
  unterminatedQuote: boolean;
}

export interface RowReaderOptions {
  /** Forced delimiter; otherwise detected from the first rows. */
  delimiter?: Delimiter;
  /** Scores a candidate header row (higher = more columns recognised); steers the delimiter guess. */
  scoreHeader?: (cells: string[]) => number;
  /** One row may not exceed this many characters (memory stays bounded whatever the file). */
  maxRowChars?: number;
}

export interface RowReaderInfo {
  delimiter: Delimiter | null;
  linebreak: Linebreak | null;
}

const DETECT_CHARS = 64 * 1024;
export const MAX_ROW_CHARS = 16 * 1024 * 1024;

/** Line breaks in text[from, to): CRLF, LF and a lone CR each count once. */
export function countBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}

export function detectLinebreak(text: string): Linebreak {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (cr >= 0 && (lf < 0 || cr < lf)) return text.charCodeAt(cr + 1) === 10 ? '\r\n' : '\r';
  return '\n';
}

/** The delimiter under which the first rows look most like our header and most regular. */
export function detectDelimiter(text: string, linebreak: Linebreak, scoreHeader?: (cells: string[]) => number): Delimiter {
  let best: Delimiter = ',';
  let bestScore = -Infinity;
  for (const d of DELIMITERS) {
    const preview = new Papa.Parser({ delimiter: d, newline: linebreak, preview: 10 }).parse(text, 0, false) as { data: string[][] };
    const rows = preview.data.filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
    if (rows.length === 0) continue;
    const counts = rows.map((r) => r.length);
    const avg = counts.reduce((a, b) => a + b, 0) / counts.length;
    if (avg < 2) continue;
    let delta = 0;
    for (let i = 1; i < counts.length; i++) delta += Math.abs(counts[i]! - counts[i - 1]!);
    const score = (scoreHeader ? scoreHeader(rows[0]!) : 0) * 1000 - delta * 10 + avg;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

/**
 * Streams CSV rows out of text pieces with papaparse's parser, a piece at a time: memory holds one
 * piece plus one unfinished row, never the file. Yields the rows of each piece as one array.
 */
export async function* readRows(pieces: AsyncIterable<string>, info: RowReaderInfo, o: RowReaderOptions = {}): AsyncGenerator<CsvRow[]> {
  const maxRow = o.maxRowChars ?? MAX_ROW_CHARS;
  let pending = '';
  let line = 1;
  let started = false;
  let delimiter: Delimiter = o.delimiter ?? ',';
  let linebreak: Linebreak = '\n';

  const parse = (text: string, last: boolean): CsvRow[] => {
    const rows: CsvRow[] = [];
    let start = 0;
    const parser = new Papa.Parser({
      delimiter,
      newline: linebreak,
      step: (res: { data: string[][]; errors: { code: string }[]; meta: { cursor: number } }) => {
        const end = res.meta.cursor;
        const cells = res.data[0] ?? [];
        const rowLine = line;
        const breaks = countBreaks(text, start, end);
        const last = text.charCodeAt(end - 1);
        const endsWithBreak = end > start && (last === 10 || last === 13);
        line += breaks;
        start = end;
        // Blank lines and rows of empty fields (",,,," from spreadsheets) are not rows, but still count as lines.
        if (cells.every((c) => c.trim() === '')) return;
        rows.push({ line: rowLine, lastLine: rowLine + breaks - (endsWithBreak ? 1 : 0), cells, unterminatedQuote: res.errors.some((e) => e.code === 'MissingQuotes') });
      },
    });
    parser.parse(text, 0, !last);
    pending = text.slice(start);
    if (!last) capRow();
    return rows;
  };
  const capRow = () => {
    if (pending.length <= maxRow) return;
    throw new AppError('VALIDATION_FAILED', `Line ${line}: a row runs past ${Math.round(maxRow / 1048576)} MB; a quote is probably never closed.`, {
      reason: 'row-too-long',
      line,
    });
  };

  // A row longer than a piece (a 10 MB field) is re-parsed only each time it has doubled, not per piece.
  let parseAt = 0;
  for await (const piece of pieces) {
    pending += piece;
    if (!started) {
      if (pending.length < DETECT_CHARS) continue;
      begin();
    }
    if (pending.length < parseAt) {
      capRow();
      yield [];
      continue;
    }
    const rows = parse(pending, false);
    parseAt = rows.length === 0 ? pending.length * 2 : 0;
    yield rows;
  }
  if (!started) begin();
  yield parse(pending, true);

  function begin() {
    started = true;
    if (pending.charCodeAt(0) === 0xfeff) pending = pending.slice(1);
    linebreak = detectLinebreak(pending);
    if (!o.delimiter) delimiter = detectDelimiter(pending, linebreak, o.scoreHeader);
    info.delimiter = delimiter;
    info.linebreak = linebreak;
  }
}
