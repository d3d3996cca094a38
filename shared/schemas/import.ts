import { z } from 'zod';
import { DateOrDateTime, Id } from './common.js';

export const IMPORT_FIELDS = ['eventId', 'section', 'quantity', 'price', 'row'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

const HeaderName = z.string().trim().min(1).max(200);
/** Field → the header cell (as written in the file) that holds it; omitted fields use the suggestion. */
export const ImportMapping = z.strictObject({
  eventId: HeaderName.optional(),
  section: HeaderName.optional(),
  quantity: HeaderName.optional(),
  price: HeaderName.optional(),
  row: HeaderName.optional(),
});
export type ImportMapping = z.infer<typeof ImportMapping>;

/** HTTP sends the mapping in the query string as JSON; IPC sends the object. */
const MappingParam = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}, ImportMapping);

export const ImportMode = z.enum(['valid-rows', 'all-or-nothing']).describe('valid-rows: import the valid rows and report the rejected ones; all-or-nothing: import nothing if any row is rejected');
export const Delimiter = z.enum([',', ';', '\t']);

export const ImportInput = z.strictObject({
  sellerId: Id.optional().describe('defaults to the box office (seller 1)'),
  dryRun: z.boolean().default(false).describe('validate and report; nothing is written'),
  force: z.boolean().default(false).describe('import even if this seller already imported the same file'),
  mode: ImportMode.default('valid-rows'),
  fileName: z.string().max(255).optional(),
  mapping: MappingParam.optional().describe('HTTP: JSON in the query string, e.g. {"eventId":"Event #"}'),
  delimiter: Delimiter.optional().describe('detected from the first rows when omitted'),
  clientRef: z.string().trim().min(1).max(64).optional().describe('a caller-chosen id to find this import while it runs (progress polling)'),
  csv: z.string().describe('HTTP: the text/csv request body'),
});

export const RejectedRow = z.object({ line: z.number().int(), errors: z.array(z.string()) });
export const EventCount = z.object({ eventId: Id, rows: z.number().int(), tickets: z.number().int() });

export const ImportReport = z.object({
  batchId: Id.nullable(),
  status: z.enum(['dry-run', 'completed', 'failed', 'cancelled']),
  dryRun: z.boolean(),
  mode: ImportMode,
  fileName: z.string().nullable(),
  rowsRead: z.number().int(),
  rowsImported: z.number().int().describe('dry run: rows that would be imported'),
  rowsRejected: z.number().int(),
  ticketsCreated: z.number().int().describe('dry run: tickets that would be created'),
  rejected: z.array(RejectedRow).describe('the first rejected rows (all of them unless rejectedTruncated)'),
  rejectedTruncated: z.boolean(),
  byEvent: z.array(EventCount),
  sha256: z.string(),
  delimiter: Delimiter.nullable(),
  encoding: z.string(),
  mapping: ImportMapping,
  message: z.string().nullable().describe('why a batch failed or was cancelled'),
  duplicateOf: Id.nullable().describe('a completed batch of this same file for this seller (a dry run warns; an import is refused unless forced)'),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const ImportBatchStatus = z.enum(['running', 'completed', 'failed', 'cancelled', 'rolled_back']);

export const ImportBatch = z.object({
  id: Id,
  sellerId: Id,
  sellerName: z.string(),
  fileName: z.string().nullable(),
  sha256: z.string(),
  status: ImportBatchStatus,
  phase: z.enum(['staging', 'publishing', 'done']),
  mode: ImportMode,
  importedBy: z.string().nullable().describe('who ran it: kiosk, api, cli or seed'),
  clientRef: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  rolledBackAt: z.string().nullable(),
  rowsRead: z.number().int(),
  rowsImported: z.number().int(),
  rowsRejected: z.number().int(),
  rowsPublished: z.number().int(),
  ticketsCreated: z.number().int(),
  bytesRead: z.number().int(),
  totalBytes: z.number().int().nullable(),
  lastLine: z.number().int(),
  cancelRequested: z.boolean(),
  failure: z.object({ code: z.string(), message: z.string().nullable() }).nullable(),
  delimiter: z.string().nullable(),
  encoding: z.string().nullable(),
});
export type ImportBatch = z.infer<typeof ImportBatch>;

export const ImportBatchList = z.strictObject({
  sellerId: Id.optional(),
  status: ImportBatchStatus.optional(),
  clientRef: z.string().trim().min(1).max(64).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export const ImportBatchQuery = z.strictObject({
  id: Id,
  rejectedLimit: z.number().int().min(0).max(5000).default(200),
  rejectedOffset: z.number().int().min(0).default(0),
});

export const ImportBatchDetail = z.object({
  batch: ImportBatch,
  byEvent: z.array(EventCount.extend({ eventName: z.string(), ticketsAvailable: z.number().int() })),
  rejected: z.array(RejectedRow.extend({ cells: z.array(z.string()) })),
  ticketsNotAvailable: z.number().int().describe('sold or held tickets: while above 0 the batch cannot be rolled back'),
});

export const PreviewInput = z.strictObject({
  sellerId: Id.optional().describe('the seller the file is for (a seller account may only preview its own)'),
  csv: z.string().describe('HTTP: the text/csv request body; the first rows of the file are enough'),
  mapping: MappingParam.optional(),
  delimiter: Delimiter.optional(),
  rows: z.number().int().min(1).max(200).default(20),
});

export const ImportPreview = z.object({
  delimiter: Delimiter.nullable(),
  linebreak: z.enum(['crlf', 'lf', 'cr']).nullable(),
  encoding: z.string(),
  header: z.array(z.string()),
  suggestedMapping: ImportMapping,
  missing: z.array(z.enum(IMPORT_FIELDS)).describe('fields no column is mapped to yet'),
  rows: z.array(
    z.object({
      line: z.number().int(),
      cells: z.array(z.string()),
      values: z.record(z.string(), z.string()).describe('field → cell, by the effective mapping'),
      errors: z.array(z.string()),
    }),
  ),
});

export const CsvFile = z.object({ csv: z.string(), rows: z.number().int(), fileName: z.string() });

export const TicketExportQuery = z.strictObject({
  eventId: Id.optional(),
  from: DateOrDateTime.optional().describe('events starting on or after (a date is a whole day, venue time)'),
  to: DateOrDateTime.optional(),
  status: z.enum(['available', 'held', 'sold', 'void', 'all']).default('available'),
});

export const OrderExportQuery = z.strictObject({
  eventId: Id.optional(),
  from: DateOrDateTime.optional().describe('orders placed on or after (a date is a whole UTC day)'),
  to: DateOrDateTime.optional(),
});
