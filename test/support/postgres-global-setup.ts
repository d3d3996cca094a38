import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared test server's superuser URL (maintenance database `postgres`); see postgres-database.ts. */
    postgresUrl: string;
  }
}

/**
 * One PostgreSQL server for the whole `vitest run`; test files get its URL with inject('postgresUrl')
 * (provide/inject reaches the forked workers; see vitest.config.ts) and create their own databases.
 * No PostgreSQL binaries is a failure, never a skip: CI installs them (.ci/run).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server;
  try {
    server = await startPostgres();
  } catch (err) {
    throw new Error(`The tests need a PostgreSQL server and could not start one: ${(err as Error).message}`);
  }
  project.provide('postgresUrl', server.url);
  return () => server.destroy();
}
