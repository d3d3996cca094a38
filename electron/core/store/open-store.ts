import { isPostgresUrl } from './postgres/connect.js';
import { openPgStore } from './postgres/pg-store.js';
import { openStore } from './sqlite/database.js';
import type { Store } from './contract/store.js';

export type StoreTarget = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string; migrate?: 'if-empty' | 'upgrade' };

/** `postgres://…` is the shared server, anything else a SQLite file. */
export function storeTarget(databaseUrl: string | null | undefined, sqliteFile: string): StoreTarget {
  if (databaseUrl && isPostgresUrl(databaseUrl)) return { engine: 'postgres', url: databaseUrl };
  if (databaseUrl?.startsWith('sqlite:')) return { engine: 'sqlite', file: databaseUrl.slice('sqlite:'.length) };
  if (databaseUrl) throw new Error(`--db wants postgres://… (a shared PostgreSQL server) or sqlite:PATH, not ${databaseUrl.replace(/\/\/[^@]*@/, '//…@')}`);
  return { engine: 'sqlite', file: sqliteFile };
}

/** The one place an engine is chosen; everything above sees only the Store contract. */
export function openAnyStore(target: StoreTarget, o: { applicationName?: string } = {}): Promise<Store> {
  return target.engine === 'postgres'
    ? openPgStore({ url: target.url, migrate: target.migrate, applicationName: o.applicationName })
    : openStore({ file: target.file });
}
