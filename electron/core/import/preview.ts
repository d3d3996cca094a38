import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/errors.js';
import { IMPORT_FIELDS, type ImportMapping } from '../../../shared/schemas/import.js';
import type { Store } from '../store/contract/store.js';
import { readRows, type CsvRow, type Delimiter, type RowReaderInfo } from './csv-rows.js';
import { textPieces, type SourceStats } from './csv-source.js';
import { knownEvents } from './csv-import.js';
import { checkRow, headerScore, resolveColumns, suggestMapping } from './listing-rules.js';

const LINEBREAK = { '\r\n': 'crlf', '\n': 'lf', '\r': 'cr' } as const;

/**
 * The first rows of a file as the import will read them: detected delimiter and line ending, the
 * header, the suggested mapping and each row's problems under the effective mapping. The UI sends
 * the start of the file (cut at a line end); nothing is written.
 */
export async function previewImport(store: Store, o: { csv: string; mapping?: ImportMapping; delimiter?: Delimiter; rows: number }) {
  const stats: SourceStats = { bytesRead: 0, totalBytes: null, encoding: 'utf-8', hash: createHash('sha256') };
  const info: RowReaderInfo = { delimiter: null, linebreak: null };
  let header: string[] | null = null;
  const sample: CsvRow[] = [];
  outer: for await (const batch of readRows(textPieces({ text: o.csv }, stats), info, { delimiter: o.delimiter, scoreHeader: headerScore })) {
    for (const r of batch) {
      if (!header) header = r.cells;
      else sample.push(r);
      if (sample.length >= o.rows) break outer;
    }
  }
  if (!header) throw new AppError('VALIDATION_FAILED', 'The file is empty: expected a header such as eventId,section,quantity,price,row', { reason: 'empty' });
  const suggested = suggestMapping(header);
  const effective: ImportMapping = { ...suggested, ...o.mapping };
  const missing = IMPORT_FIELDS.filter((f) => effective[f] === undefined);
  let cols: ReturnType<typeof resolveColumns> | null = null;
  if (missing.length === 0) cols = resolveColumns(header, o.mapping);
  const events = knownEvents(store);
  if (cols) await events.load(sample.map((r) => r.cells[cols!.eventId]));
  const exists = (id: number) => events.has(id);
  return {
    delimiter: info.delimiter,
    linebreak: info.linebreak ? LINEBREAK[info.linebreak] : null,
    encoding: stats.encoding,
    header,
    suggestedMapping: suggested,
    missing,
    rows: sample.map((r) => {
      const values: Record<string, string> = {};
      if (cols) for (const f of IMPORT_FIELDS) values[f] = r.cells[cols[f]] ?? '';
      const checked = cols ? checkRow(r, cols, header!.length, exists) : null;
      return { line: r.line, cells: r.cells, values, errors: checked && !checked.ok ? checked.errors : [] };
    }),
  };
}
