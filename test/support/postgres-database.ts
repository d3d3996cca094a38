import { inject } from 'vitest';
import { createDatabaseAt, databaseUrl, dropDatabaseAt } from './postgres-server.js';

let counter = 0;

export interface TestDatabase {
  name: string;
  /** Superuser URL of this database. */
  url: string;
  drop(): Promise<void>;
}

/**
 * A new, empty database on the run's shared server (postgres-global-setup.ts). Names carry the pid,
 * so files running in parallel never collide.
 */
export async function freshPostgresDatabase(prefix = 'test', options: { template?: string } = {}): Promise<TestDatabase> {
  const adminUrl = inject('postgresUrl');
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${++counter}`.toLowerCase().slice(0, 63);
  const url = await createDatabaseAt(adminUrl, name, options);
  return { name, url, drop: () => dropDatabaseAt(adminUrl, name) };
}

/** The shared server's URL for another database (or the maintenance database `postgres`). */
export function sharedPostgresUrl(database = 'postgres'): string {
  return databaseUrl(inject('postgresUrl'), database);
}
