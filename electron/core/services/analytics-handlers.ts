import { AppError } from '../../../shared/errors.js';
import { exportCsv } from '../analytics/csv-export.js';
import { ingestEvents, ingestNdjson } from '../analytics/ingest.js';
import * as reports from '../analytics/reports.js';
import { ensureRollups } from '../analytics/rollups.js';
import type { OpContext } from './context.js';
import type { Handler } from './handlers.js';

type AnalyticsOp =
  | 'ingestOrderEvents'
  | 'reportTopCustomers'
  | 'reportRevenue'
  | 'reportSalesByRegion'
  | 'reportSalesByReferral'
  | 'reportEventSales'
  | 'reportSellerSales'
  | 'reportShift'
  | 'exportReport';

/**
 * The reader connection (WAL: reports never wait for sales), once the rollups are current.
 * The range is checked first: a refused report must not fold rollups (a refused call writes nothing).
 */
async function reader(ctx: OpContext, input: Parameters<typeof reports.prepare>[0]) {
  reports.prepare(input);
  await ensureRollups(ctx.store);
  return ctx.store.sql();
}

export const analyticsHandlers: { [K in AnalyticsOp]: Handler<K> } = {
  ingestOrderEvents: async (ctx, { channel, events, ndjson }) => {
    if ((events === undefined) === (ndjson === undefined)) {
      throw new AppError('VALIDATION_FAILED', 'Send the events as a JSON array (events) or as an application/x-ndjson body, not both', {
        field: 'events',
      });
    }
    return events ? ingestEvents(ctx.store, channel, events) : ingestNdjson(ctx.store, channel, ndjson!);
  },
  reportTopCustomers: async (ctx, i) => reports.topCustomersReport(await reader(ctx, i), i),
  reportRevenue: async (ctx, i) => reports.revenueReport(await reader(ctx, i), i),
  reportSalesByRegion: async (ctx, i) => reports.regionReport(await reader(ctx, i), i),
  reportSalesByReferral: async (ctx, i) => reports.referralReport(await reader(ctx, i), i),
  reportEventSales: async (ctx, i) => reports.eventSalesReport(await reader(ctx, i), i),
  reportSellerSales: async (ctx, i) => reports.sellerReport(await reader(ctx, i), i),
  reportShift: async (ctx, i) => reports.shiftReport(await reader(ctx, i), i),
  exportReport: async (ctx, i) => exportCsv(await reader(ctx, i), i),
};
