import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/errors.js';
import type { ImportMapping, ImportReport } from '../../../shared/schemas/import.js';
import { nowIso } from '../../../shared/time.js';
import type { Store } from '../store/sqlite/database.js';
import { readRows, type Delimiter, type RowReaderInfo } from './csv-rows.js';
import { sha256Of, sha256OfFile, textPieces, totalBytesOf, type CsvSource, type SourceStats } from './csv-source.js';
import * as repo from '../store/sqlite/import-repo.js';
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
  const raw = store.writerRaw;
  if (!repo.sellerExists(store.readerRaw, o.sellerId)) throw new AppError('NOT_FOUND', `seller ${o.sellerId} does not exist`, { sellerId: o.sellerId });

  let sha = (await sha256Of(input)) ?? ('file' in input ? await sha256OfFile(input.file) : null);
  if (!o.dryRun && !o.force && sha) refuseSameFile(store, o.sellerId, sha);

  const totalBytes = totalBytesOf(input);
  const stats: SourceStats = { bytesRead: 0, totalBytes, encoding: 'utf-8', hash: createHash('sha256') };
  const info: RowReaderInfo = { delimiter: null, linebreak: null };
  const now = nowIso();
  const batchId = o.dryRun
    ? null
    : await store.writeSync((db) =>
        repo.insertBatch(db, {
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

  const known = new Map<number, boolean>();
  const eventExists = (id: number) => {
    let v = known.get(id);
    if (v === undefined) {
      // A file of a million made-up ids must not grow this without bound.
      if (known.size > 10000) known.clear();
      known.set(id, (v = repo.eventExists(store.readerRaw, id)));
    }
    return v;
  };
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
  const cancelled = (db: typeof raw) => o.signal?.aborted === true || (batchId !== null && repo.cancelRequested(db, batchId));

  /** Stages what the last steps validated and records progress, inside the open transaction. */
  const flushInto = (db: typeof raw) => {
    if (batchId === null) return;
    repo.stageRows(db, batchId, valid);
    repo.insertRejected(db, batchId, bad);
    repo.recordProgress(db, batchId, {
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
    const step = async (db: typeof raw | null): Promise<boolean> => {
      const next = await rows.next();
      if (next.done) return false;
      for (const r of next.value) {
        if (!cols) {
          cols = resolveColumns(r.cells, o.mapping);
          width = r.cells.length;
          report.mapping = { ...suggestMapping(r.cells), ...o.mapping };
          continue;
        }
        report.rowsRead++;
        lastLine = r.line;
        const checked = checkRow(r, cols, width, eventExists);
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
      if (db) flushInto(db);
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
      await store.write(async () => {
        const started = performance.now();
        while (more && performance.now() - started < TRANSACTION_MS) {
          if (cancelled(raw)) throw new Cancelled();
          more = await step(raw);
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
    const prior = repo.findSameFile(store.readerRaw, o.sellerId, sha);
    const duplicateOf = prior && prior.id !== batchId ? prior.id : null;
    const byEvent = [...report.byEvent].sort((a, b) => a[0] - b[0]).map(([eventId, c]) => ({ eventId, ...c }));
    if (batchId === null) {
      return { ...base, duplicateOf, status: 'dry-run', rowsImported: report.rowsValid, ticketsCreated: report.tickets, byEvent, message: null };
    }
    await store.writeSync((db) => {
      db.prepare('UPDATE import_batches SET sha256 = ? WHERE id = ?').run(sha, batchId);
      repo.setMeta(db, batchId, { delimiter: info.delimiter, encoding: stats.encoding, mapping: report.mapping });
      if (!o.force) refuseSameFileIn(db, o.sellerId, sha!, batchId);
    });
    if (mode === 'all-or-nothing' && report.rowsRejected > 0) {
      const message = `${report.rowsRejected} of ${report.rowsRead} rows were rejected, so nothing was imported (all-or-nothing)`;
      await discard(store, batchId, 'rejected-rows', message);
      return { ...base, status: 'failed', rowsImported: 0, ticketsCreated: 0, byEvent: [], message };
    }

    phase = 'publishing';
    await store.writeSync((db) => repo.startPublishing(db, batchId, nowIso()));
    progress();
    const target = { id: batchId, sellerId: o.sellerId, source: o.listingSource ?? 'import' } as const;
    await publishAll(store, target, o.publishRows ?? 1000, () => {
      const cancel = o.signal?.aborted === true || repo.cancelRequested(raw, batchId);
      if (cancel && repo.ticketsNotAvailable(raw, batchId) === 0) throw new Cancelled();
    }, (n) => {
      published += n;
      progress();
    });
    await store.writeSync((db) => repo.completeBatch(db, batchId, nowIso()));
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

function refuseSameFile(store: Store, sellerId: number, sha: string) {
  refuseSameFileIn(store.readerRaw, sellerId, sha, null);
}

function refuseSameFileIn(db: Store['writerRaw'], sellerId: number, sha: string, self: number | null) {
  const prior = repo.findSameFile(db, sellerId, sha);
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
  check: () => void,
  onStep: (rows: number) => void,
) {
  let more = true;
  while (more) {
    await store.write(async () => {
      const started = performance.now();
      while (more && performance.now() - started < TRANSACTION_MS) {
        check();
        const n = repo.publishChunk(store.writerRaw, target, rowsPerStep, nowIso());
        more = n > 0;
        if (more) onStep(n);
        await yieldToLoop();
      }
    });
  }
}

/** Removes everything the batch wrote (staged and published rows) in small transactions, then marks it failed. */
async function discard(store: Store, batchId: number, code: 'cancelled' | 'interrupted' | 'rejected-rows' | 'error', message: string) {
  while ((await store.writeSync((db) => repo.discardStaged(db, batchId, 50000))) > 0) await yieldToLoop();
  await store.writeSync((db) => {
    repo.deletePublished(db, batchId);
    repo.failBatch(db, batchId, code, message, nowIso());
  });
}

/**
 * Run on open (before any import of this process): a batch left 'running' by a process that is gone
 * is rolled back if it was still staging (nothing of it was visible) and rolled forward if it was
 * publishing (every row was validated and staged, and some tickets may already be sold).
 */
export async function recoverInterruptedImports(store: Store): Promise<{ rolledBack: number[]; completed: number[] }> {
  const out = { rolledBack: [] as number[], completed: [] as number[] };
  for (const b of repo.orphanedBatches(store.writerRaw)) {
    if (b.phase === 'publishing') {
      await publishAll(store, { id: b.id, sellerId: b.seller_id, source: 'import' }, 1000, () => undefined, () => undefined);
      await store.writeSync((db) => repo.completeBatch(db, b.id, nowIso()));
      out.completed.push(b.id);
    } else {
      await discard(store, b.id, 'interrupted', `The import stopped at line ${b.last_line} (the program was closed or crashed); nothing of it was imported. Import the file again.`);
      out.rolledBack.push(b.id);
    }
  }
  return out;
}
