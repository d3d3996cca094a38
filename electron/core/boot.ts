import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureAdmin, type FirstRunAdmin } from './auth/callers.js';
import { newSecret } from './http/auth.js';
import { seedDemoUsers, type DemoUser } from './seed/demo-users.js';
import { seedDemoData, isEmpty, type SeedSummary } from './seed/demo-data.js';
import { databaseFile } from './app-paths.js';
import { recoverInterruptedImports } from './import/csv-import.js';
import type { Store } from './store/contract/store.js';
import { openAnyStore, storeTarget } from './store/open-store.js';
import { attachWriterLane } from './store/sqlite/lane.js';
import { SqliteStore } from './store/sqlite/database.js';

/**
 * Opens (and migrates) the data dir's store; a fresh one gets demo data unless `empty`. The first run
 * also creates the admin account: `firstRunAdmin` holds its one-time credentials, to show once.
 * With `token` (the global API token) that token becomes the admin's first API token. `writerLane`
 * moves sells, holds and reservations to a writer thread (store/writer-lane.ts).
 */
export async function openDataDir(
  dataDir: string,
  opts: { empty?: boolean; token?: string; writerLane?: boolean; databaseUrl?: string | null; upgrade?: boolean } = {},
): Promise<{ store: Store; seeded: SeedSummary | null; firstRunAdmin: FirstRunAdmin | null; demoUsers: DemoUser[] }> {
  mkdirSync(dataDir, { recursive: true });
  const target = storeTarget(opts.databaseUrl, databaseFile(dataDir));
  const store = await openAnyStore(target.engine === 'postgres' && opts.upgrade ? { ...target, migrate: 'upgrade' } : target);
  try {
    const { seeded, firstRunAdmin, demoUsers } = await store.startupLock(async () => {
      await recoverInterruptedImports(store);
      const seeded = !opts.empty && (await isEmpty(store)) ? await seedDemoData(store) : null;
      const demoUsers = seeded ? await seedDemoUsers(store) : [];
      return { seeded, demoUsers, firstRunAdmin: await ensureAdmin(store, opts.token) };
    });
    // A long-running box office sells on the writer lane (store/sqlite/lane.ts); one-shot CLI commands need no thread.
    if (opts.writerLane && store instanceof SqliteStore) {
      await attachWriterLane(store, (err) => process.stderr.write(`marquee: the writer lane stopped (${err.message}); selling continues on the main thread\n`));
    }
    return { store, seeded, firstRunAdmin, demoUsers };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/** MARQUEE_API_TOKEN, else a token generated once and kept (0600) in the data dir. */
export function apiToken(dataDir: string, env = process.env): { token: string; source: 'env' | 'file' | 'new' } {
  if (env.MARQUEE_API_TOKEN) return { token: env.MARQUEE_API_TOKEN, source: 'env' };
  const file = join(dataDir, 'api-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), source: 'file' };
  mkdirSync(dataDir, { recursive: true });
  const token = newSecret(32);
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, source: 'new' };
}
