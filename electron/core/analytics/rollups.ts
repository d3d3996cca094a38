import type { Store } from '../store/database.js';
import { foldRollups, rollupBehind, rollupState } from '../store/repos/reports-repo.js';

/**
 * Brings the report rollups up to date before a report reads them. Usually a no-op (one indexed
 * read); after a burst of sales it folds the new orders in, 20,000 per write transaction so that
 * sales keep flowing between batches (the first report over an old database catches up this way).
 */
export async function ensureRollups(store: Store): Promise<void> {
  if (!rollupBehind(rollupState(store.readerRaw))) return;
  let more = true;
  while (more) more = await store.writeSync((db) => foldRollups(db));
}
