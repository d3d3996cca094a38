import { AppError } from '../../../shared/errors.js';
import type { OperationName } from '../../../shared/operations/index.js';
import type { Actor, OpContext } from '../services/context.js';

/**
 * Ownership on top of permissions, declared per operation in one place and applied by invoke():
 * a seller account posts, imports and sees only its own seller's listings and batches; an organizer
 * edits only the events they own. (Refund and void rules need the order, so they live in their handlers.)
 */
const SELLER_SCOPED: ReadonlySet<OperationName> = new Set<OperationName>(['postListing', 'importTickets', 'previewImport', 'listImportBatches']);
const SELLER_BATCH_BY_ID: ReadonlySet<OperationName> = new Set<OperationName>(['getImportBatch', 'cancelImport', 'rollbackImportBatch', 'exportRejectedCsv']);
const ORGANIZER_EVENT_BY_ID: ReadonlySet<OperationName> = new Set<OperationName>(['updateEvent', 'assignSeatingChart']);
const ORGANIZER_ORDER_BY_CODE: ReadonlySet<OperationName> = new Set<OperationName>(['cancelOrder']);

const forbidden = (message: string, details?: unknown) => new AppError('FORBIDDEN', message, details);

function ownSellerId(actor: Actor): number {
  if (actor.sellerId === null) throw forbidden('This seller account is not linked to a seller; ask an admin');
  return actor.sellerId;
}

/** Before validation: a seller's sellerId defaults to their own (the input's default would be the box office). */
export function scopeInput(actor: Actor | null | undefined, name: OperationName, raw: unknown): unknown {
  if (actor?.role !== 'seller' || !SELLER_SCOPED.has(name) || typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const input = raw as Record<string, unknown>;
  if (input.sellerId !== undefined || input.seller !== undefined) return raw;
  return { ...input, sellerId: ownSellerId(actor) };
}

/** Whether checkOwnership has anything to look at for this caller and operation (most calls: no). */
export function ownershipApplies(actor: Actor | null | undefined, name: OperationName): boolean {
  if (!actor) return false;
  if (actor.role === 'seller') return SELLER_SCOPED.has(name) || SELLER_BATCH_BY_ID.has(name);
  if (actor.role === 'organizer') return ORGANIZER_EVENT_BY_ID.has(name) || ORGANIZER_ORDER_BY_CODE.has(name);
  return false;
}

/** After validation, before the handler: refuses another seller's or organizer's things. */
export async function checkOwnership(ctx: OpContext, name: OperationName, input: Record<string, unknown>): Promise<void> {
  const actor = ctx.actor;
  if (!actor) return;
  if (actor.role === 'seller') {
    if (SELLER_SCOPED.has(name)) {
      if (input.seller !== undefined) throw forbidden('A seller account posts listings for its own seller only');
      if (input.sellerId !== ownSellerId(actor)) throw forbidden('A seller account works with its own listings only', { sellerId: input.sellerId });
    }
    if (SELLER_BATCH_BY_ID.has(name)) {
      const batch = await ctx.store.reader.selectFrom('import_batches').select('seller_id').where('id', '=', Number(input.id)).executeTakeFirst();
      if (batch && batch.seller_id !== ownSellerId(actor)) throw forbidden('That import belongs to another seller', { id: input.id });
    }
  }
  if (actor.role === 'organizer' && ORGANIZER_EVENT_BY_ID.has(name)) {
    const ev = await ctx.store.reader.selectFrom('events').select('owner_user_id').where('id', '=', Number(input.id)).executeTakeFirst();
    if (ev && ev.owner_user_id !== actor.userId) throw forbidden('Organizers change only their own events', { id: input.id });
  }
  if (actor.role === 'organizer' && ORGANIZER_ORDER_BY_CODE.has(name)) {
    const foreign = await ctx.store.reader
      .selectFrom('orders as o')
      .innerJoin('order_items as oi', 'oi.order_id', 'o.id')
      .innerJoin('tickets as t', 't.id', 'oi.ticket_id')
      .innerJoin('events as e', 'e.id', 't.event_id')
      .select('e.id')
      .where('o.code', '=', String(input.code).toUpperCase())
      .where((eb) => eb.or([eb('e.owner_user_id', 'is', null), eb('e.owner_user_id', '<>', actor.userId)]))
      .executeTakeFirst();
    if (foreign) throw forbidden('Organizers undo sales of their own events only', { code: input.code });
  }
}
