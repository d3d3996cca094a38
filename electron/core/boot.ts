import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newSecret } from './http/auth.js';
import { seedDemoData, isEmpty, type SeedSummary } from './seed/demo-data.js';
import { databaseFile } from './app-paths.js';
import { recoverInterruptedImports } from './import/csv-import.js';
import { openStore, type Store } from './store/database.js';

/** Opens (and migrates) the data dir's store; a fresh one gets demo data unless `empty`. */
export async function openDataDir(dataDir: string, opts: { empty?: boolean } = {}): Promise<{ store: Store; seeded: SeedSummary | null }> {
  mkdirSync(dataDir, { recursive: true });
  const store = await openStore({ file: databaseFile(dataDir) });
  await recoverInterruptedImports(store);
  const seeded = !opts.empty && (await isEmpty(store)) ? await seedDemoData(store) : null;
  return { store, seeded };
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
