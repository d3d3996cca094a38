import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase, sharedPostgresUrl } from '../support/postgres-database.js';
import { findPostgresBinDir, startPostgres, type PostgresServer } from '../support/postgres-server.js';

/** Connects once, runs fn, disconnects; the error of a refused connection is what the caller sees. */
async function withClient<T>(config: string | pg.ClientConfig, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(typeof config === 'string' ? { connectionString: config, connectionTimeoutMillis: 10_000 } : config);
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

const connectError = (config: string | pg.ClientConfig) =>
  withClient(config, async () => null).then(
    () => {
      throw new Error('the connection was accepted');
    },
    (err: unknown) => err as Error & { code?: string },
  );

describe('the shared PostgreSQL test server (globalSetup)', () => {
  it('answers, with production durability settings, a UTF-8/C database per test and password auth on TCP', async () => {
    const db = await freshPostgresDatabase('harness');
    try {
      const settings = await withClient(db.url, async (c) => {
        const show = async (name: string) => ((await c.query(`SHOW ${name}`)).rows[0] as Record<string, string>)[name];
        const meta = (await c.query(`SELECT pg_encoding_to_char(encoding) AS encoding, datcollate, datctype FROM pg_database WHERE datname = current_database()`)).rows[0];
        return {
          fsync: await show('fsync'),
          synchronous_commit: await show('synchronous_commit'),
          listen_addresses: await show('listen_addresses'),
          password_encryption: await show('password_encryption'),
          meta,
          sorted: (await c.query(`SELECT x FROM (VALUES ('b'), ('B'), ('a'), ('é')) v(x) ORDER BY x`)).rows.map((r) => r.x),
          lower: (await c.query(`SELECT lower('ÀB') AS l`)).rows[0].l,
        };
      });
      expect(settings).toMatchObject({
        fsync: 'on',
        synchronous_commit: 'on',
        listen_addresses: '127.0.0.1',
        password_encryption: 'scram-sha-256',
        meta: { encoding: 'UTF8', datcollate: 'C', datctype: 'C' },
      });
      // Binary order and ASCII-only case mapping, as SQLite does it.
      expect(settings.sorted).toEqual(['B', 'a', 'b', 'é']);
      expect(settings.lower).toBe('Àb');
    } finally {
      await db.drop();
    }
  });

  it('refuses a wrong password with SQLSTATE 28P01', async () => {
    const url = new URL(sharedPostgresUrl());
    url.password = 'not-the-password';
    const err = await connectError(url.toString());
    expect(err.code).toBe('28P01');
    expect(err.message).toMatch(/password authentication failed/);
  });

  it('creates databases from a template and drops them even while connected', async () => {
    const source = await freshPostgresDatabase('tpl_src');
    await withClient(source.url, (c) => c.query(`CREATE TABLE t (v text); INSERT INTO t VALUES ('copied')`));
    const copy = await freshPostgresDatabase('tpl_copy', { template: source.name });
    const held = new pg.Client({ connectionString: copy.url });
    held.on('error', () => {});
    await held.connect();
    expect((await held.query('SELECT v FROM t')).rows).toEqual([{ v: 'copied' }]);
    await copy.drop(); // WITH (FORCE): ends the held session
    await held.end().catch(() => {});
    const err = await connectError(copy.url);
    expect(err.code).toBe('3D000'); // invalid_catalog_name: it is gone
    await source.drop();
  });
});

describe('a server of its own: stop, start, kill', () => {
  let server: PostgresServer;
  let url: string;

  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase('restarts');
    await withClient(url, (c) => c.query(`CREATE TABLE t (v text NOT NULL); INSERT INTO t VALUES ('before stop')`));
  });

  afterAll(async () => {
    const dir = server.dir;
    await server.destroy();
    expect(existsSync(dir)).toBe(false);
  });

  it('listens on 127.0.0.1 only, with its socket in its own temp dir', async () => {
    expect(server.url).toMatch(new RegExp(`^postgres://marquee:[0-9a-f]+@127\\.0\\.0\\.1:${server.port}/postgres$`));
    const viaSocket = await withClient({ host: server.dir, port: server.port, user: server.user, database: 'restarts' }, (c) => c.query('SELECT v FROM t'));
    expect(viaSocket.rows).toEqual([{ v: 'before stop' }]);
    const sockets = await withClient(url, (c) => c.query(`SHOW unix_socket_directories`));
    expect(sockets.rows[0].unix_socket_directories).toBe(server.dir);
  });

  it('stop → connection refused → start → answers again on the same port, data kept; an open pool recovers', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 2, idleTimeoutMillis: 0 }); // keep the idle client until the shutdown ends it
    const poolErrors: Error[] = [];
    pool.on('error', (err) => poolErrors.push(err)); // idle clients are ended by the shutdown
    expect((await pool.query('SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(1);
    const port = server.port;

    await server.stop();
    expect(server.running).toBe(false);
    const refused = await connectError(url);
    expect(refused.code).toBe('ECONNREFUSED');
    await expect(pool.query('SELECT 1')).rejects.toThrow();

    await server.start();
    expect(server.port).toBe(port);
    expect(await withClient(url, async (c) => (await c.query('SELECT v FROM t')).rows)).toEqual([{ v: 'before stop' }]);
    expect((await pool.query('SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(1);
    expect(poolErrors.map((e) => (e as Error & { code?: string }).code)).toEqual(['57P01']); // admin_shutdown
    await pool.end();
  });

  it('kill (SIGKILL of the postmaster) → start → crash recovery keeps every committed row', async () => {
    await withClient(url, (c) => c.query(`INSERT INTO t VALUES ('committed before kill')`));
    await server.kill();
    expect(server.running).toBe(false);
    expect((await connectError(url)).code).toBe('ECONNREFUSED');
    await server.start();
    const rows = await withClient(url, async (c) => (await c.query('SELECT v FROM t ORDER BY v')).rows.map((r) => r.v));
    expect(rows).toEqual(['before stop', 'committed before kill']);
    expect(server.logTail(50)).toMatch(/not properly shut down; automatic recovery in progress/);
  });
});

describe('finding the binaries', () => {
  it('names a wrong MARQUEE_PG_BIN instead of falling back silently', () => {
    expect(() => findPostgresBinDir({ ...process.env, MARQUEE_PG_BIN: '/nonexistent/bin' })).toThrow(/MARQUEE_PG_BIN is \/nonexistent\/bin, but that directory has no initdb and postgres/);
  });

  it('takes the highest installed version, then PATH, and says what it tried and how to install them when none has', () => {
    const lib = mkdtempSync(join(tmpdir(), 'marquee-pgbin-'));
    try {
      const fake = (dir: string) => {
        mkdirSync(dir, { recursive: true });
        for (const f of ['initdb', 'postgres']) writeFileSync(join(dir, f), '');
      };
      const env = { PATH: '/nonexistent' }; // no pg_config either
      expect(() => findPostgresBinDir(env, lib)).toThrow(/No PostgreSQL server binaries .*tried pg_config \(not found\), .*PATH\. Install Debian's postgresql package/);
      fake(join(lib, 'path-only'));
      expect(findPostgresBinDir({ PATH: `/nonexistent:${join(lib, 'path-only')}` }, lib)).toBe(join(lib, 'path-only'));
      for (const v of ['9.6', '13', '15']) fake(join(lib, v, 'bin'));
      mkdirSync(join(lib, '16', 'bin'), { recursive: true }); // a client-only install: no server
      expect(findPostgresBinDir(env, lib)).toBe(join(lib, '15', 'bin'));
    } finally {
      rmSync(lib, { recursive: true, force: true });
    }
  });
});
