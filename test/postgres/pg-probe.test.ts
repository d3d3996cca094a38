import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPgStore } from '../../electron/core/store/postgres/pg-store.js';
import { classifyConnectError, probeDatabase } from '../../electron/core/store/postgres/probe.js';
import { freePort } from '../free-port.js';
import { freshPostgresDatabase, sharedPostgresUrl, type TestDatabase } from '../support/postgres-database.js';

/** Test connection against the run's real server (SCRAM on TCP): every verdict, and no password in any of them. */
const dbs: TestDatabase[] = [];
const roles: string[] = [];
afterAll(async () => {
  for (const d of dbs) await d.drop();
  const admin = new pg.Client({ connectionString: sharedPostgresUrl() });
  await admin.connect();
  for (const r of roles) await admin.query(`DROP ROLE IF EXISTS ${r}`);
  await admin.end();
});

async function database(prefix: string) {
  const d = await freshPostgresDatabase(prefix);
  dbs.push(d);
  return d;
}

/** A role with a password of its own, so a wrong one can be tried. */
async function roleWithPassword(password: string): Promise<string> {
  const name = `probe_${process.pid}_${roles.length}`;
  roles.push(name);
  const admin = new pg.Client({ connectionString: sharedPostgresUrl() });
  await admin.connect();
  await admin.query(`CREATE ROLE ${name} LOGIN PASSWORD '${password}'`);
  await admin.end();
  return name;
}

function withCredentials(url: string, user: string, password: string, database?: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  if (database !== undefined) u.pathname = `/${database}`;
  return u.toString();
}

describe('probeDatabase (Test connection)', () => {
  it('an empty database is fine: Marquee will create the schema', async () => {
    const d = await database('probe_empty');
    const v = await probeDatabase(d.url);
    expect(v).toMatchObject({ ok: true, problem: 'empty', schemaVersion: null });
    expect(v.message).toMatch(/empty/);
  });

  it('a database a Marquee of this build made is at its schema version', async () => {
    const d = await database('probe_current');
    const store = await openPgStore({ url: d.url, max: 2 });
    await store.close();
    const v = await probeDatabase(d.url);
    expect(v.ok).toBe(true);
    expect(v.problem).toBe('current');
    expect(v.schemaVersion).toMatch(/^\d{4}/);
  });

  it('an older schema asks for marquee upgrade-store; a newer one for a newer Marquee', async () => {
    const older = await database('probe_older');
    (await openPgStore({ url: older.url, max: 2 }).then((s) => s.close()));
    const c = new pg.Client({ connectionString: older.url });
    await c.connect();
    await c.query('DELETE FROM kysely_migration WHERE name = (SELECT max(name) FROM kysely_migration)');
    await c.end();
    const o = await probeDatabase(older.url);
    expect(o).toMatchObject({ ok: false, problem: 'older-schema' });
    expect(o.message).toContain('marquee upgrade-store');

    const newer = await database('probe_newer');
    (await openPgStore({ url: newer.url, max: 2 }).then((s) => s.close()));
    const n = new pg.Client({ connectionString: newer.url });
    await n.connect();
    await n.query("INSERT INTO kysely_migration (name, timestamp) VALUES ('9999-12-31T00-00-00_from_the_future', now()::text)");
    await n.end();
    const nv = await probeDatabase(newer.url);
    expect(nv).toMatchObject({ ok: false, problem: 'newer-schema', schemaVersion: '9999-12-31T00-00-00_from_the_future' });
    expect(nv.message).toMatch(/newer/);
  });

  it('a database with another program’s tables is not a Marquee database', async () => {
    const d = await database('probe_foreign');
    const c = new pg.Client({ connectionString: d.url });
    await c.connect();
    await c.query('CREATE TABLE invoices (id int PRIMARY KEY)');
    await c.end();
    expect(await probeDatabase(d.url)).toMatchObject({ ok: false, problem: 'foreign' });
  });

  it('a wrong password is said in plain words, and the password is never in the verdict', async () => {
    const user = await roleWithPassword('right-horse-battery');
    const wrong = withCredentials(sharedPostgresUrl(), user, 'Wr0ng-Secret-Pw', 'postgres');
    const v = await probeDatabase(wrong);
    expect(v).toMatchObject({ ok: false, problem: 'auth-failed' });
    expect(v.message).toMatch(/password/);
    expect(JSON.stringify(v)).not.toContain('Wr0ng-Secret-Pw');
    expect(v.target).toBe(`${user}@127.0.0.1:${new URL(wrong).port}/postgres`);
    // The right password gets in (the verdict is about the password, not the role).
    const right = await probeDatabase(withCredentials(sharedPostgresUrl(), user, 'right-horse-battery', 'postgres'));
    expect(right.problem).not.toBe('auth-failed');
  });

  it('a database that does not exist', async () => {
    const v = await probeDatabase(sharedPostgresUrl(`no_such_db_${process.pid}`));
    expect(v).toMatchObject({ ok: false, problem: 'database-missing' });
    expect(JSON.stringify(v)).not.toContain(new URL(sharedPostgresUrl()).password);
  });

  it('a port nobody listens on is unreachable', async () => {
    const port = await freePort();
    const v = await probeDatabase(`postgres://someone:s3cret-unseen@127.0.0.1:${port}/marquee`);
    expect(v).toMatchObject({ ok: false, problem: 'unreachable' });
    expect(v.message).toContain(`127.0.0.1:${port}`);
    expect(JSON.stringify(v)).not.toContain('s3cret-unseen');
  });

  it('a URL that is not PostgreSQL’s is refused before any connection', async () => {
    expect(await probeDatabase('mysql://root:pw@db/x')).toMatchObject({ ok: false, problem: 'not-postgres-url' });
    expect(await probeDatabase('')).toMatchObject({ ok: false, problem: 'not-postgres-url' });
  });
});

describe('classifyConnectError', () => {
  const url = 'postgres://box:topsecret@db.venue.example:6543/marquee';
  it.each([
    [{ code: 'ECONNREFUSED' }, 'unreachable'],
    [{ code: 'ENOTFOUND' }, 'unreachable'],
    [{ code: 'ETIMEDOUT' }, 'unreachable'],
    [new Error('timeout expired'), 'unreachable'],
    [{ code: '28P01', message: 'password authentication failed for user "box"' }, 'auth-failed'],
    [{ code: '28000', message: 'no pg_hba.conf entry' }, 'auth-failed'],
    [{ code: '3D000', message: 'database "marquee" does not exist' }, 'database-missing'],
    [{ code: 'XX000', message: 'something else' }, 'failed'],
  ])('%o → %s, without the password', (err, problem) => {
    const v = classifyConnectError(err, url);
    expect(v.problem).toBe(problem);
    expect(v.ok).toBe(false);
    expect(v.target).toBe('box@db.venue.example:6543/marquee');
    expect(JSON.stringify(v)).not.toContain('topsecret');
  });

  it('an error message that repeats the URL is rewritten to the target', () => {
    const v = classifyConnectError({ message: `cannot use ${url}` }, url);
    expect(v.message).not.toContain('topsecret');
    expect(v.message).toContain('box@db.venue.example:6543/marquee');
  });
});
