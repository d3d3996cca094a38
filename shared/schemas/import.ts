import { z } from 'zod';
import { Id } from './common.js';

export const ImportInput = z.strictObject({
  sellerId: Id.optional().describe('defaults to the box office (seller 1)'),
  dryRun: z.boolean().default(false),
  force: z.boolean().default(false).describe('import even if this seller already imported the same file'),
  fileName: z.string().max(255).optional(),
  csv: z.string().describe('HTTP: the text/csv request body'),
});

export const ImportReport = z.object({
  batchId: Id.nullable(),
  dryRun: z.boolean(),
  rowsRead: z.number().int(),
  rowsImported: z.number().int(),
  ticketsCreated: z.number().int(),
  rejected: z.array(z.object({ line: z.number().int(), errors: z.array(z.string()) })),
  sha256: z.string(),
});
export type ImportReport = z.infer<typeof ImportReport>;
