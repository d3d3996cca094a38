import Papa from 'papaparse';
import type { OpOutput, OpParsedInput } from '../../../shared/operations/index.js';
import type SQLite from 'better-sqlite3';
import * as reports from './reports.js';

type ExportInput = OpParsedInput<'exportReport'>;

function rowsOf(db: SQLite.Database, i: ExportInput, opts?: reports.ReportOptions): Record<string, unknown>[] {
  const range = { from: i.from, to: i.to, tz: i.tz, source: i.source, channels: i.channels, currency: i.currency };
  switch (i.report) {
    case 'top-customers':
      return reports.topCustomersReport(db, { ...range, limit: i.limit }, opts).items;
    case 'revenue':
      return reports.revenueReport(db, { ...range, granularity: i.granularity }, opts).items;
    case 'regions':
      return reports.regionReport(db, { ...range, level: i.level, address: i.address }, opts).items;
    case 'referrals':
      return reports.referralReport(db, range, opts).items;
    case 'events':
      return reports.eventSalesReport(db, range, opts).items;
    case 'sellers':
      return reports.sellerReport(db, range, opts).items;
    case 'shift':
      return reports.shiftReport(db, range, opts).items;
  }
}

/**
 * A report as CSV: the same rows as the JSON report, money as cents and as a decimal string.
 * Cells starting with = + - @ are escaped so a partner-supplied name cannot run as a spreadsheet formula.
 */
export function exportCsv(db: SQLite.Database, i: ExportInput, opts?: reports.ReportOptions): OpOutput<'exportReport'> {
  const rows = rowsOf(db, i, opts);
  const { days } = reports.prepare(i, opts).range;
  const csv = Papa.unparse(rows, { escapeFormulae: true, newline: '\r\n', header: true });
  const fileName = `marquee-${i.report}-${days[0]}-to-${days[days.length - 1]}.csv`;
  return { fileName, contentType: 'text/csv', rows: rows.length, csv };
}
