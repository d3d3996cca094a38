import { AppError, notFound } from '../../../shared/errors.js';
import type { importOps } from '../../../shared/operations/import-ops.js';
import { nowIso } from '../../../shared/time.js';
import { exportOrdersCsv, exportTicketsCsv, rejectedCsv } from '../import/csv-export.js';
import { importListings } from '../import/csv-import.js';
import * as repo from '../store/common/import-repo.js';
import type { SqlRunner } from '../store/contract/sql.js';
import { previewImport } from '../import/preview.js';
import type { Handler } from './handlers.js';

type ImportHandlers = { [K in keyof typeof importOps]: Handler<K> };

async function loadBatch(sql: SqlRunner, id: number) {
  const b = await repo.findBatch(sql, id);
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

  listImportBatches: async (ctx, q) => ({ items: (await repo.listBatches(ctx.store.sql(), q)).map(repo.toBatch) }),

  getImportBatch: async (ctx, q) => {
    const sql = ctx.store.sql();
    const b = await loadBatch(sql, q.id);
    return {
      batch: repo.toBatch(b),
      byEvent: await repo.batchEvents(sql, q.id),
      rejected: await repo.rejectedRows(sql, q.id, q.rejectedLimit, q.rejectedOffset),
      ticketsNotAvailable: await repo.ticketsNotAvailable(sql, q.id),
    };
  },

  cancelImport: async (ctx, { id }) =>
    ctx.store.write(async (trx) => {
      const db = ctx.store.sql(trx);
      const b = await loadBatch(db, id);
      if (b.status !== 'running') throw new AppError('CONFLICT', `Import batch ${id} is not running (it is ${repo.toBatch(b).status})`, { id, status: b.status });
      return { id, cancelRequested: (await repo.requestCancel(db, id)) === 1 };
    }),

  rollbackImportBatch: async (ctx, { id }) => {
    await ctx.store.write(async (trx) => {
      const db = ctx.store.sql(trx);
      const b = await loadBatch(db, id);
      if (b.status !== 'completed') {
        throw new AppError('CONFLICT', `Only a completed batch can be rolled back; batch ${id} is ${repo.toBatch(b).status}`, { id, status: b.status });
      }
      // Checked inside the same BEGIN IMMEDIATE as the delete, so no sale can slip in between.
      const taken = await repo.ticketsNotAvailable(db, id);
      if (taken > 0) {
        throw new AppError('CONFLICT', `${taken} ticket(s) of batch ${id} are sold or held; a batch can only be rolled back while none is`, { id, ticketsNotAvailable: taken });
      }
      await repo.deletePublished(db, id);
      await repo.markRolledBack(db, id, nowIso());
    });
    return repo.toBatch(await loadBatch(ctx.store.sql(), id));
  },

  exportRejectedCsv: async (ctx, { id }) => {
    const b = await loadBatch(ctx.store.sql(), id);
    const rows = await repo.rejectedRows(ctx.store.sql(), id, 1_000_000, 0);
    const base = (b.file_name ?? `batch-${id}.csv`).replace(/\.csv$/i, '');
    return { csv: rejectedCsv(rows), rows: rows.length, fileName: `${base}-rejected.csv` };
  },

  exportTicketsCsv: async (ctx, q) => exportTicketsCsv(ctx.store, q),

  exportOrdersCsv: async (ctx, q) => exportOrdersCsv(ctx.store, q),
};
