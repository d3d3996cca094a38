import { test } from '@playwright/test';
import { startPostgres, type PostgresServer } from '../../support/postgres-server.js';
import { startTerminal, stopTerminals, type Terminal } from '../../postgres/support/terminals.js';

export interface SharedDatabase {
  readonly server: PostgresServer;
  readonly url: string;
  readonly terminals: Terminal[];
}

/**
 * For a spec file: a throwaway PostgreSQL server with one database, and a `marquee serve --db`
 * terminal per name on it (the first creates the schema, the others open it), started before the
 * file's tests and stopped after them.
 */
export function sharedDatabase(database: string, terminalNames: string[]): SharedDatabase {
  let server: PostgresServer | undefined;
  let url = '';
  const terminals: Terminal[] = [];
  test.beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase(database);
    for (const name of terminalNames) terminals.push(await startTerminal(url, name));
  });
  test.afterAll(async () => {
    await stopTerminals(terminals);
    await server?.destroy();
  });
  return {
    get server() {
      if (!server) throw new Error('the shared database is started in beforeAll');
      return server;
    },
    get url() {
      return url;
    },
    terminals,
  };
}
