import type { Store } from '../../electron/core/store/contract/store.js';

/**
 * Plain SQL against a test's store, whichever engine runs it (the store's own runner: `?`
 * placeholders, SQL both engines read alike). Every raw look at the database in the shared suites
 * goes through here.
 */
export async function value<T = number>(store: Store, sql: string, args: readonly unknown[] = []): Promise<T> {
  const r = await store.sql().get<Record<string, unknown>>(sql, args);
  return (r === undefined ? undefined : Object.values(r)[0]) as T;
}

export function rows<T = Record<string, unknown>>(store: Store, sql: string, args: readonly unknown[] = []): Promise<T[]> {
  return store.sql().all<T>(sql, args);
}

/** The first column of every row. */
export async function column<T = unknown>(store: Store, sql: string, args: readonly unknown[] = []): Promise<T[]> {
  return (await rows(store, sql, args)).map((r) => Object.values(r)[0] as T);
}

/** A write outside any operation (test set-up), in the store's own transaction. */
export function exec(store: Store, sql: string, args: readonly unknown[] = []): Promise<number> {
  return store.write((trx) => store.sql(trx).run(sql, args));
}

/** The store's own tables (not the migrator's), in name order. */
export function tableNames(store: Store): Promise<string[]> {
  return store.engine === 'sqlite'
    ? column<string>(store, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    : column<string>(store, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name");
}
