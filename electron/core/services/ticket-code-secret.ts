import { nowIso } from '../../../shared/time.js';
import { ensureTicketCodeSecret, readTicketCodeSecret } from '../store/common/door-repo.js';
import type { DB, Store } from '../store/contract/store.js';

// Once made the key never changes, so each store's is read once. Keyed by the reader: handlers see
// a per-call view of the store (auth/audit.ts), but its reader is the store's own.
const known = new WeakMap<DB, string>();

/** The store's ticket code key, or undefined while none was made (then no code can be genuine). */
export async function existingTicketCodeSecret(store: Store): Promise<string | undefined> {
  const cached = known.get(store.reader);
  if (cached) return cached;
  const secret = await readTicketCodeSecret(store.reader);
  if (secret) known.set(store.reader, secret);
  return secret;
}

/** The store's ticket code key, made in a write on first use. Never leaves the core. */
export async function ticketCodeSecret(store: Store): Promise<string> {
  const secret = (await existingTicketCodeSecret(store)) ?? (await store.write((trx) => ensureTicketCodeSecret(trx, nowIso())));
  known.set(store.reader, secret);
  return secret;
}
