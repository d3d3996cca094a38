import { AppError, notFound } from '../../../shared/errors.js';
import type { importOps } from '../../../shared/operations/import-ops.js';
import { nowIso } from '../../../shared/time.js';
import { exportOrdersCsv, exportTicketsCsv, rejectedCsv } from '../import/csv-export.js';
import { importListings } from '../import/csv-import.js';
import * as repo from '../store/sqlite/import-repo.js';
import { previewImport } from '../import/preview.js';
import type { Handler } from './handlers.js';

type ImportHandlers = { [K in keyof typeof importOps]: Handler<K> };

function loadBatch(raw: Parameters<typeof repo.findBatch>[0], id: number) {
  const b = repo.findBatch(raw, id);
  if (!b) throw notFound('import batch', id);
  return b;
}

export const importHandlers: ImportHandlers = {
  importTickets: async (ctx, i) =>
    importListings(ctx.store, {
      csv: i.csv,
      sellerId: i.sellerId ?? 1,
      dryRun: i.dryRun,
      force: i.force,
      mode: i.mode,
      fileName: i.fileName,
      mapping: i.mapping,
      delimiter: i.delimiter,
      clientRef: i.clientRef,
      // Who: the signed-in user when there is one, else the transport (kiosk, api).
      importedBy: ctx.actor ? `${ctx.actor.username} (${ctx.channel})` : ctx.channel,
    }),

  previewImport: async (ctx, i) => previewImport(ctx.store, i),

  listImportBatches: async (ctx, q) => ({ items: repo.listBatches(ctx.store.readerRaw, q).map(repo.toBatch) }),

  getImportBatch: async (ctx, q) => {
    const raw = ctx.store.readerRaw;
    const b = loadBatch(raw, q.id);
    return {
      batch: repo.toBatch(b),
      byEvent: repo.batchEvents(raw, q.id),
      rejected: repo.rejectedRows(raw, q.id, q.rejectedLimit, q.rejectedOffset),
      ticketsNotAvailable: repo.ticketsNotAvailable(raw, q.id),
    };
  },

  cancelImport: async (ctx, { id }) =>
    ctx.store.writeSync((db) => {
      const b = loadBatch(db, id);
      if (b.status !== 'running') throw new AppError('CONFLICT', `Import batch ${id} is not running (it is ${repo.toBatch(b).status})`, { id, status: b.status });
      return { id, cancelRequested: repo.requestCancel(db, id) === 1 };
    }),

  rollbackImportBatch: async (ctx, { id }) => {
    await ctx.store.writeSync((db) => {
      const b = loadBatch(db, id);
      if (b.status !== 'completed') {
        throw new AppError('CONFLICT', `Only a completed batch can be rolled back; batch ${id} is ${repo.toBatch(b).status}`, { id, status: b.status });
      }
      // Checked inside the same BEGIN IMMEDIATE as the delete, so no sale can slip in between.
      const taken = repo.ticketsNotAvailable(db, id);
      if (taken > 0) {
        throw new AppError('CONFLICT', `${taken} ticket(s) of batch ${id} are sold or held; a batch can only be rolled back while none is`, { id, ticketsNotAvailable: taken });
      }
      repo.deletePublished(db, id);
      repo.markRolledBack(db, id, nowIso());
    });
    return repo.toBatch(loadBatch(ctx.store.readerRaw, id));
  },

  exportRejectedCsv: async (ctx, { id }) => {
    const b = loadBatch(ctx.store.readerRaw, id);
    const rows = repo.rejectedRows(ctx.store.readerRaw, id, 1_000_000, 0);
    const base = (b.file_name ?? `batch-${id}.csv`).replace(/\.csv$/i, '');
    return { csv: rejectedCsv(rows), rows: rows.length, fileName: `${base}-rejected.csv` };
  },

  exportTicketsCsv: async (ctx, q) => exportTicketsCsv(ctx.store, q),

  exportOrdersCsv: async (ctx, q) => exportOrdersCsv(ctx.store, q),
};
