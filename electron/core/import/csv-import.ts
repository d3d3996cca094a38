import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/errors.js';
import type { ImportMapping, ImportReport } from '../../../shared/schemas/import.js';
import { nowIso } from '../../../shared/time.js';
import type { Store } from '../store/contract/store.js';
import type { SqlRunner } from '../store/contract/sql.js';
import { readRows, type Delimiter, type RowReaderInfo } from './csv-rows.js';
import { sha256Of, sha256OfFile, textPieces, totalBytesOf, type CsvSource, type SourceStats } from './csv-source.js';
import * as repo from '../store/common/import-repo.js';
import { checkRow, headerScore, resolveColumns, suggestMapping, type ValidRow } from './listing-rules.js';

export { matchHeader, IMPORT_FIELDS } from './listing-rules.js';
export type { CsvSource } from './csv-source.js';

export interface ImportProgress {
  batchId: number | null;
  phase: 'staging' | 'publishing' | 'done';
  rowsRead: number;
  rowsValid: number;
  rowsRejected: number;
  rowsPublished: number;
  bytesRead: number;
  totalBytes: number | null;
}

export interface ImportOptions {
  /** The CSV as text (HTTP body, tests); or give `input`. */
  csv?: string;
  /** A file path or a byte stream: read in pieces, never whole. */
  input?: CsvSource;
  sellerId: number;
  dryRun: boolean;
  force: boolean;
  mode?: 'valid-rows' | 'all-or-nothing';
  fileName?: string;
  mapping?: ImportMapping;
  delimiter?: Delimiter;
  clientRef?: string;
  /** Who runs it, kept on the batch: kiosk, api, cli, seed. */
  importedBy?: string;
  listingSource?: 'import' | 'seed';
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** Every rejected row, as it is found (the report keeps only the first `maxRejectedInReport`). */
  onRejected?: (r: { line: number; errors: string[] }) => void;
  maxRejectedInReport?: number;
  /** Rows published per step (one step stays well under ~50 ms of synchronous work). */
  publishRows?: number;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
/** How long one import transaction may stay open (made of steps of a few tens of ms each). */
const TRANSACTION_MS = 200;

class Cancelled extends Error {}

/**
 * The one import pipeline behind the UI, the CLI and the HTTP API.
 *
 * Rows are parsed and validated as the file streams in and written to a staging table in small
 * transactions (invisible to sales); once the whole file is read they are published to listings and
 * tickets in small transactions. A crash while staging leaves nothing visible (the staged rows are
 * discarded on the next open); a crash while publishing is rolled forward on the next open (every
 * row is already validated and staged). See recoverInterruptedImports.
 */
export async function importListings(store: Store, o: ImportOptions): Promise<ImportReport> {
  const input: CsvSource = o.input ?? { text: o.csv ?? '' };
  const mode = o.mode ?? 'valid-rows';
  const maxRejected = o.maxRejectedInReport ?? 1000;
  if (!(await repo.sellerExists(store.sql(), o.sellerId))) throw new AppError('NOT_FOUND', `seller ${o.sellerId} does not exist`, { sellerId: o.sellerId });

  let sha = (await sha256Of(input)) ?? ('file' in input ? await sha256OfFile(input.file) : null);
  if (!o.dryRun && !o.force && sha) await refuseSameFileIn(store.sql(), o.sellerId, sha, null);

  const totalBytes = totalBytesOf(input);
  const stats: SourceStats = { bytesRead: 0, totalBytes, encoding: 'utf-8', hash: createHash('sha256') };
  const info: RowReaderInfo = { delimiter: null, linebreak: null };
  const now = nowIso();
  const batchId = o.dryRun
    ? null
    : await store.write((trx) =>
        repo.insertBatch(store.sql(trx), {
          sellerId: o.sellerId,
          fileName: o.fileName ?? null,
          sha256: sha ?? '0'.repeat(64),
          mode,
          importedBy: o.importedBy ?? 'api',
          clientRef: o.clientRef ?? null,
          totalBytes,
          now,
        }),
      );

  const eventExists = knownEvents(store);
  const report = {
    rowsRead: 0,
    rowsValid: 0,
    rowsRejected: 0,
    tickets: 0,
    rejected: [] as { line: number; errors: string[] }[],
    byEvent: new Map<number, { rows: number; tickets: number }>(),
    mapping: {} as ImportMapping,
  };
  let valid: ValidRow[] = [];
  let bad: { line: number; errors: string[]; cells: string[] }[] = [];
  let lastLine = 0;
  let phase: ImportProgress['phase'] = 'staging';
  let published = 0;
  const progress = () =>
    o.onProgress?.({
      batchId,
      phase,
      rowsRead: report.rowsRead,
      rowsValid: report.rowsValid,
      rowsRejected: report.rowsRejected,
      rowsPublished: published,
      bytesRead: stats.bytesRead,
      totalBytes,
    });
  const cancelled = async (db: SqlRunner) => o.signal?.aborted === true || (batchId !== null && (await repo.cancelRequested(db, batchId)));

  /** Stages what the last steps validated and records progress, inside the open transaction. */
  const flushInto = async (db: SqlRunner) => {
    if (batchId === null) return;
    await repo.stageRows(db, batchId, valid);
    await repo.insertRejected(db, batchId, bad);
    await repo.recordProgress(db, batchId, {
      rowsRead: report.rowsRead,
      rowsImported: report.rowsValid,
      rowsRejected: report.rowsRejected,
      ticketsCreated: report.tickets,
      bytesRead: stats.bytesRead,
      lastLine,
      now: nowIso(),
    });
  };

  try {
    let cols: ReturnType<typeof resolveColumns> | null = null;
    let width = 0;
    const rows = readRows(textPieces(input, stats), info, { delimiter: o.delimiter, scoreHeader: headerScore })[Symbol.asyncIterator]();
    // One step = one text piece (~64 KB): parse, validate, stage; well under 50 ms of synchronous work.
    const step = async (db: SqlRunner | null): Promise<boolean> => {
      const next = await rows.next();
      if (next.done) return false;
      let piece = next.value;
      if (!cols && piece.length > 0) {
        const header = piece[0]!.cells;
        cols = resolveColumns(header, o.mapping);
        width = header.length;
        report.mapping = { ...suggestMapping(header), ...o.mapping };
        piece = piece.slice(1);
      }
      if (!cols) return true;
      // The events the piece names, looked up together before its rows are checked (checkRow is synchronous).
      const eventCol = cols.eventId;
      await eventExists.load(piece.map((r) => r.cells[eventCol]));
      for (const r of piece) {
        report.rowsRead++;
        lastLine = r.line;
        const checked = checkRow(r, cols, width, (id) => eventExists.has(id));
        if (checked.ok) {
          const v = checked.row;
          valid.push(v);
          report.rowsValid++;
          report.tickets += v.quantity;
          const e = report.byEvent.get(v.eventId) ?? { rows: 0, tickets: 0 };
          e.rows++;
          e.tickets += v.quantity;
          report.byEvent.set(v.eventId, e);
        } else {
          report.rowsRejected++;
          const rej = { line: r.line, errors: checked.errors };
          if (report.rejected.length < maxRejected) report.rejected.push(rej);
          o.onRejected?.(rej);
          bad.push({ ...rej, cells: r.cells });
        }
      }
      if (db) await flushInto(db);
      valid = [];
      bad = [];
      return true;
    };
    let more = true;
    while (more) {
      if (batchId === null) {
        if (o.signal?.aborted) throw new Cancelled();
        more = await step(null);
        progress();
        await yieldToLoop();
        continue;
      }
      // Several steps share one transaction (fewer fsyncs); the event loop turns between steps.
      await store.write(async (trx) => {
        const db = store.sql(trx);
        const started = performance.now();
        while (more && performance.now() - started < TRANSACTION_MS) {
          if (await cancelled(db)) throw new Cancelled();
          more = await step(db);
          await yieldToLoop();
        }
      });
      progress();
    }
    if (!cols) {
      throw new AppError('VALIDATION_FAILED', 'The file is empty: expected a header such as eventId,section,quantity,price,row and then one listing per line', {
        reason: 'empty',
      });
    }
    sha ??= stats.hash.digest('hex');

    const base = {
      batchId,
      dryRun: o.dryRun,
      mode,
      fileName: o.fileName ?? null,
      rowsRead: report.rowsRead,
      rowsRejected: report.rowsRejected,
      rejected: report.rejected,
      rejectedTruncated: report.rowsRejected > report.rejected.length,
      sha256: sha,
      delimiter: info.delimiter,
      encoding: stats.encoding,
      mapping: report.mapping,
      duplicateOf: null as number | null,
    };
    const prior = await repo.findSameFile(store.sql(), o.sellerId, sha);
    const duplicateOf = prior && prior.id !== batchId ? prior.id : null;
    const byEvent = [...report.byEvent].sort((a, b) => a[0] - b[0]).map(([eventId, c]) => ({ eventId, ...c }));
    if (batchId === null) {
      return { ...base, duplicateOf, status: 'dry-run', rowsImported: report.rowsValid, ticketsCreated: report.tickets, byEvent, message: null };
    }
    await store.write(async (trx) => {
      const db = store.sql(trx);
      await repo.setMeta(db, batchId, { sha256: sha!, delimiter: info.delimiter, encoding: stats.encoding, mapping: report.mapping });
      if (!o.force) await refuseSameFileIn(db, o.sellerId, sha!, batchId);
    });
    if (mode === 'all-or-nothing' && report.rowsRejected > 0) {
      const message = `${report.rowsRejected} of ${report.rowsRead} rows were rejected, so nothing was imported (all-or-nothing)`;
      await discard(store, batchId, 'rejected-rows', message);
      return { ...base, status: 'failed', rowsImported: 0, ticketsCreated: 0, byEvent: [], message };
    }

    phase = 'publishing';
    await store.write((trx) => repo.startPublishing(store.sql(trx), batchId, nowIso()));
    progress();
    const target = { id: batchId, sellerId: o.sellerId, source: o.listingSource ?? 'import' } as const;
    await publishAll(store, target, o.publishRows ?? 1000, async (db) => {
      const cancel = o.signal?.aborted === true || (await repo.cancelRequested(db, batchId));
      if (cancel && (await repo.ticketsNotAvailable(db, batchId)) === 0) throw new Cancelled();
    }, (n) => {
      published += n;
      progress();
    });
    await store.write((trx) => repo.completeBatch(store.sql(trx), batchId, nowIso()));
    phase = 'done';
    progress();
    return { ...base, status: 'completed', rowsImported: report.rowsValid, ticketsCreated: report.tickets, byEvent, message: null };
  } catch (err) {
    if (batchId === null) {
      if (err instanceof Cancelled) throw new AppError('CONFLICT', 'The dry run was cancelled', { reason: 'cancelled' });
      throw err;
    }
    if (err instanceof Cancelled) {
      const message = `Cancelled after ${report.rowsRead} rows; nothing was imported`;
      await discard(store, batchId, 'cancelled', message);
      return {
        batchId,
        status: 'cancelled',
        dryRun: false,
        mode,
        fileName: o.fileName ?? null,
        rowsRead: report.rowsRead,
        rowsImported: 0,
        rowsRejected: report.rowsRejected,
        ticketsCreated: 0,
        rejected: report.rejected,
        rejectedTruncated: report.rowsRejected > report.rejected.length,
        byEvent: [],
        sha256: sha ?? stats.hash.copy().digest('hex'),
        delimiter: info.delimiter,
        encoding: stats.encoding,
        mapping: report.mapping,
        message,
        duplicateOf: null,
      };
    }
    const message = err instanceof AppError ? err.message : 'The import failed unexpectedly; nothing was imported';
    await discard(store, batchId, 'error', message).catch(() => undefined);
    throw err;
  }
}

/**
 * Which event ids exist, asked of the store once per piece of the file for the ids it has not seen,
 * and remembered (bounded: a file of a million made-up ids must not grow this without limit).
 */
export function knownEvents(store: Store) {
  const known = new Map<number, boolean>();
  return {
    async load(texts: (string | undefined)[]): Promise<void> {
      const ids = [...new Set(texts.map((t) => (t !== undefined && /^\s*\d{1,15}\s*$/.test(t) ? Number(t) : NaN)))].filter((n) => n >= 1 && !known.has(n));
      if (ids.length === 0) return;
      if (known.size + ids.length > 10000) known.clear();
      for (let i = 0; i < ids.length; i += 500) {
        const slice = ids.slice(i, i + 500);
        const found = new Set((await store.sql().all<{ id: number }>(`SELECT id FROM events WHERE id IN (${slice.map(() => '?').join(',')})`, slice)).map((r) => Number(r.id)));
        for (const id of slice) known.set(id, found.has(id));
      }
    },
    has: (id: number) => known.get(id) === true,
  };
}

async function refuseSameFileIn(db: SqlRunner, sellerId: number, sha: string, self: number | null) {
  const prior = await repo.findSameFile(db, sellerId, sha);
  if (!prior || prior.id === self) return;
  if (prior.status === 'running') {
    throw new AppError('CONFLICT', `This file is being imported for seller ${sellerId} right now (batch ${prior.id})`, { batchId: prior.id, sha256: sha });
  }
  throw new AppError('DUPLICATE_IMPORT', `This file was already imported for seller ${sellerId} (batch ${prior.id}); import it again with force to add its listings twice`, {
    batchId: prior.id,
    sha256: sha,
  });
}

/** Publishes every staged row of the batch, a step at a time, several steps per transaction. */
async function publishAll(
  store: Store,
  target: { id: number; sellerId: number; source: 'import' | 'seed' },
  rowsPerStep: number,
  check: (db: SqlRunner) => Promise<void>,
  onStep: (rows: number) => void,
) {
  let more = true;
  while (more) {
    await store.write(async (trx) => {
      const db = store.sql(trx);
      const started = performance.now();
      while (more && performance.now() - started < TRANSACTION_MS) {
        await check(db);
        const n = await repo.publishChunk(db, target, rowsPerStep, nowIso());
        more = n > 0;
        if (more) onStep(n);
        await yieldToLoop();
      }
    });
  }
}

/** Removes everything the batch wrote (staged and published rows) in small transactions, then marks it failed. */
async function discard(store: Store, batchId: number, code: 'cancelled' | 'interrupted' | 'rejected-rows' | 'error', message: string) {
  while ((await store.write((trx) => repo.discardStaged(store.sql(trx), batchId, 50000))) > 0) await yieldToLoop();
  await store.write(async (trx) => {
    const db = store.sql(trx);
    await repo.deletePublished(db, batchId);
    await repo.failBatch(db, batchId, code, message, nowIso());
  });
}

/**
 * Run on open (before any import of this process): a batch left 'running' by a process that is gone
 * is rolled back if it was still staging (nothing of it was visible) and rolled forward if it was
 * publishing (every row was validated and staged, and some tickets may already be sold).
 */
export async function recoverInterruptedImports(store: Store): Promise<{ rolledBack: number[]; completed: number[] }> {
  const out = { rolledBack: [] as number[], completed: [] as number[] };
  for (const b of await repo.orphanedBatches(store.sql())) {
    const id = Number(b.id);
    if (b.phase === 'publishing') {
      await publishAll(store, { id, sellerId: Number(b.seller_id), source: 'import' }, 1000, async () => undefined, () => undefined);
      await store.write((trx) => repo.completeBatch(store.sql(trx), id, nowIso()));
      out.completed.push(id);
    } else {
      await discard(store, id, 'interrupted', `The import stopped at line ${b.last_line} (the program was closed or crashed); nothing of it was imported. Import the file again.`);
      out.rolledBack.push(id);
    }
  }
  return out;
}
