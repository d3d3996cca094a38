import Papa from 'papaparse';
import type { OpOutput, OpParsedInput } from '../../../shared/operations/index.js';
import type { SqlRunner } from '../store/contract/sql.js';
import * as reports from './reports.js';

type ExportInput = OpParsedInput<'exportReport'>;

async function rowsOf(db: SqlRunner, i: ExportInput, opts?: reports.ReportOptions): Promise<Record<string, unknown>[]> {
  const range = { from: i.from, to: i.to, tz: i.tz, source: i.source, channels: i.channels, currency: i.currency };
  switch (i.report) {
    case 'top-customers':
      return (await reports.topCustomersReport(db, { ...range, limit: i.limit }, opts)).items;
    case 'revenue':
      return (await reports.revenueReport(db, { ...range, granularity: i.granularity }, opts)).items;
    case 'regions':
      return (await reports.regionReport(db, { ...range, level: i.level, address: i.address }, opts)).items;
    case 'referrals':
      return (await reports.referralReport(db, range, opts)).items;
    case 'events':
      return (await reports.eventSalesReport(db, range, opts)).items;
    case 'sellers':
      return (await reports.sellerReport(db, range, opts)).items;
    case 'shift':
      return (await reports.shiftReport(db, range, opts)).items;
  }
}

/**
 * A report as CSV: the same rows as the JSON report, money as cents and as a decimal string.
 * Cells starting with = + - @ are escaped so a partner-supplied name cannot run as a spreadsheet formula.
 */
export async function exportCsv(db: SqlRunner, i: ExportInput, opts?: reports.ReportOptions): Promise<OpOutput<'exportReport'>> {
  const rows = await rowsOf(db, i, opts);
  const { days } = reports.prepare(i, opts).range;
  const csv = Papa.unparse(rows, { escapeFormulae: true, newline: '\r\n', header: true });
  const fileName = `marquee-${i.report}-${days[0]}-to-${days[days.length - 1]}.csv`;
  return { fileName, contentType: 'text/csv', rows: rows.length, csv };
}
