import pg from 'pg';
import { describeUrl, isPostgresUrl } from './connect.js';
import { schemaState, type SchemaState } from './schema-version.js';
import type { StoreProbeVerdict } from '../../../../shared/operations/store-ops.js';

export type ProbeVerdict = StoreProbeVerdict;
export type ProbeProblem = StoreProbeVerdict['problem'];

interface PgLikeError {
  code?: unknown;
  message?: unknown;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

/**
 * The connect-time error in plain words. Exported so each branch is tested on the real error
 * objects node-postgres throws, and never says the password: only describeUrl(url).
 */
export function classifyConnectError(err: unknown, url: string): ProbeVerdict {
  const target = describeUrl(url);
  const e = err as PgLikeError | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const msg = typeof e?.message === 'string' ? e.message : '';
  const verdict = (problem: ProbeProblem, message: string): ProbeVerdict => ({ ok: false, problem, message, target, schemaVersion: null });
  let host = target;
  try {
    host = `${new URL(url).hostname}:${new URL(url).port || '5432'}`;
  } catch {
    // describeUrl already said the URL is unreadable
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return verdict('unreachable', `The server name in ${host} does not resolve: check the host name`);
  if (code === 'ECONNREFUSED') return verdict('unreachable', `Nothing answers at ${host}: the database server is stopped, or the host or port is wrong`);
  if (UNREACHABLE.has(code) || /timeout|timed out|Connection terminated/i.test(msg)) {
    return verdict('unreachable', `The database server at ${host} does not answer (a firewall, a wrong address, or the server is down)`);
  }
  // 28P01 invalid_password, 28000 invalid_authorization_specification (no such role, pg_hba refuses).
  if (code === '28P01' || code === '28000') return verdict('auth-failed', `The server at ${host} refused the user name or password in the URL`);
  if (code === '3D000') return verdict('database-missing', `The server at ${host} answers, but has no database named in the URL; the venue's IT creates it (see README)`);
  if (code === '42501') return verdict('auth-failed', `The user in the URL may not use that database at ${host}`);
  // Never echo msg verbatim when it could carry the URL; node-postgres messages do not, but be safe.
  return verdict('failed', `Connecting to ${target} failed${code ? ` (${code})` : ''}: ${msg.replaceAll(url, target) || 'no reason given'}`);
}

/** The schema comparison in the same shape. */
export function verdictOfSchema(s: SchemaState, url: string): ProbeVerdict {
  const target = describeUrl(url);
  switch (s.state) {
    case 'empty':
      return { ok: true, problem: 'empty', message: `Connected to ${target}: the database is empty; Marquee creates its tables when it starts on it`, target, schemaVersion: null };
    case 'current':
      return { ok: true, problem: 'current', message: `Connected to ${target}: a Marquee database at this version's schema (${s.latest})`, target, schemaVersion: s.latest };
    case 'older':
      return { ok: false, problem: 'older-schema', message: `Connected to ${target}. ${s.message}`, target, schemaVersion: s.latest };
    case 'newer':
      return { ok: false, problem: 'newer-schema', message: `Connected to ${target}. ${s.message}`, target, schemaVersion: s.latest };
    case 'foreign':
      return { ok: false, problem: 'foreign', message: `Connected to ${target}, but it is not a Marquee database: ${s.message}`, target, schemaVersion: null };
  }
}

/**
 * Test connection: one client, a short connect timeout, the schema compared with this build's
 * migrations. Reads only; never creates or changes anything.
 */
export async function probeDatabase(url: string, o: { timeoutMs?: number } = {}): Promise<ProbeVerdict> {
  if (!isPostgresUrl(url)) {
    return { ok: false, problem: 'not-postgres-url', message: 'That is not a PostgreSQL URL; it starts postgres:// (postgres://USER:PASSWORD@HOST:5432/DATABASE)', target: describeUrl(url), schemaVersion: null };
  }
  try {
    new URL(url);
  } catch {
    return { ok: false, problem: 'not-postgres-url', message: 'The URL cannot be read; write it as postgres://USER:PASSWORD@HOST:5432/DATABASE (a password with @ : / # in it is %-encoded)', target: describeUrl(url), schemaVersion: null };
  }
  const timeout = o.timeoutMs ?? 3000;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeout, application_name: 'marquee probe', query_timeout: timeout });
  // A connection dropped after the verdict must not crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    return classifyConnectError(err, url);
  }
  try {
    return verdictOfSchema(await schemaState(client), url);
  } catch (err) {
    return classifyConnectError(err, url);
  } finally {
    await client.end().catch(() => undefined);
  }
}
