import type { z } from 'zod';

/**
 * What a caller must be allowed to do. Roles (admin, organizer, clerk, seller) map onto these;
 * the one place that checks them is the dispatcher, for IPC and HTTP alike (shared/auth/roles.ts maps
 * roles to permissions). 'public' needs no sign-in; 'account' needs any signed-in user; 'door' scans
 * tickets in and reads what the door screen shows.
 */
export const PERMISSIONS = ['public', 'account', 'read', 'sell', 'orders', 'refund', 'list', 'import', 'manage-events', 'door', 'admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpBinding {
  method: HttpMethod;
  /** Fastify-style path under /api/v1, e.g. /events/:id/tickets */
  path: string;
  /** Status on success (200 unless said). */
  status?: number;
  /** How the non-path input arrives: query string (GET) or JSON body; `csv` means a text/csv body into `csv`. */
  body?: 'json' | 'csv';
  /** Header → input field (e.g. Idempotency-Key → idempotencyKey). */
  headers?: Record<string, string>;
  /**
   * JSON body that is not an object of this op's fields: a bare array, or an object without this
   * field, becomes `{ [bareBody]: array }` (e.g. POST /order-events takes one event, an array, or {events}).
   */
  bareBody?: string;
  /** A streamed body of this content type arrives unbuffered (an async iterable of chunks) in `field`. */
  stream?: { contentType: string; field: string };
}

export interface OperationDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  summary: string;
  input: I;
  output: O;
  http: HttpBinding;
  permission: Permission;
  /** Changes state: runs on the writer, is audited, never retried blindly. */
  mutates: boolean;
  /**
   * Input fields whose text the handler checks itself (a CSV file, partner events), so that a NUL is
   * answered where it is (its line, its event) instead of refusing the whole call. Every other string
   * of the input is checked by the dispatcher (shared/schemas/text-guard.ts).
   */
  ownTextCheck?: readonly string[];
  tags: string[];
}

export function op<I extends z.ZodType, O extends z.ZodType>(def: OperationDef<I, O>): OperationDef<I, O> {
  return def;
}
