import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chownSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { freePort } from '../free-port.js';

/**
 * A real, throwaway PostgreSQL server for tests: Debian's binaries, a fresh temp dir, 127.0.0.1 on a
 * free port, its unix socket inside the temp dir, password (SCRAM) authentication on TCP.
 * The product's durability settings stay as in production (fsync, synchronous_commit on).
 */
export interface PostgresServer {
  /** postgres://user:password@127.0.0.1:port/postgres (the superuser, on the maintenance database). */
  readonly url: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** The temp dir: data/, server.log and the unix socket. */
  readonly dir: string;
  readonly binDir: string;
  /** The same server and credentials, another database. */
  urlFor(database: string): string;
  /** Starts it again on the same data dir and port (after stop() or kill()); waits until it answers. */
  start(): Promise<void>;
  /** Fast shutdown (SIGINT: sessions are ended, then a checkpoint); waits for the postmaster to exit. */
  stop(): Promise<void>;
  /** SIGKILL of the postmaster, as a crash or power cut would leave it; waits for it to be gone. */
  kill(): Promise<void>;
  readonly running: boolean;
  /** CREATE DATABASE … ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' (template0 unless given); returns its URL. */
  createDatabase(name: string, options?: { template?: string }): Promise<string>;
  /** DROP DATABASE IF EXISTS … WITH (FORCE): ends its sessions first. */
  dropDatabase(name: string): Promise<void>;
  /** stop() and remove the temp dir. */
  destroy(): Promise<void>;
  /** The last lines of the server's log, for error messages. */
  logTail(lines?: number): string;
}

export interface PostgresServerOptions {
  /** Directory with initdb and postgres; default findPostgresBinDir(). */
  binDir?: string;
  /** Superuser role name; default 'marquee'. */
  user?: string;
  /** Superuser password; default random. */
  password?: string;
  /** Bound on each wait for the server to answer; default 30 s. */
  startTimeoutMs?: number;
  /** Extra postgresql.conf settings (appended after the defaults, so they win). */
  settings?: Record<string, string | number>;
}

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;
const RETRY_MS = 100;

const hasServer = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));

/**
 * Where initdb and postgres are: $MARQUEE_PG_BIN, else `pg_config --bindir`, else the highest
 * /usr/lib/postgresql/<version>/bin, else the first PATH entry that has both. Throws, saying what
 * it tried and how to install them, when none has.
 */
export function findPostgresBinDir(env: NodeJS.ProcessEnv = process.env, libRoot = '/usr/lib/postgresql'): string {
  const explicit = env.MARQUEE_PG_BIN;
  if (explicit) {
    if (hasServer(explicit)) return explicit;
    throw new Error(`MARQUEE_PG_BIN is ${explicit}, but that directory has no initdb and postgres`);
  }
  const tried: string[] = [];
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
    if (dir && hasServer(dir)) return dir;
    // Debian's pg_config comes with libpq-dev and may name a version whose server is not installed.
    tried.push(`pg_config --bindir (${dir || 'empty'})`);
  } catch {
    tried.push('pg_config (not found)');
  }
  const root = libRoot;
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+(\.\d+)?$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of versions) {
    if (hasServer(join(root, v, 'bin'))) return join(root, v, 'bin');
  }
  tried.push(`${root}/*/bin (${versions.length ? versions.join(', ') : 'none'})`);
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    if (hasServer(dir)) return dir;
  }
  tried.push('PATH');
  throw new Error(
    `No PostgreSQL server binaries (initdb and postgres) found; tried ${tried.join(', ')}. ` +
      `Install Debian's postgresql package (apt-get install postgresql; bash .ci/run does it) ` +
      `or set MARQUEE_PG_BIN to the directory that holds initdb and postgres.`,
  );
}

interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

/** initdb refuses to run as root (and postgres with it): as root, run both as postgres, else nobody. */
function unprivilegedUser(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  const passwd = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'));
  for (const name of ['postgres', 'nobody']) {
    const entry = passwd.find((f) => f[0] === name);
    if (entry) return { name, uid: Number(entry[2]), gid: Number(entry[3]) };
  }
  throw new Error('running as root, and there is neither a postgres nor a nobody user to run initdb and postgres as');
}

/** Every postmaster this process started; killed when it exits, however it exits normally. */
const live = new Set<PostgresServerImpl>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const server of live) server.killNow();
  });
}

const REAPER = new URL('./postgres-reaper.mjs', import.meta.url).pathname;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Connection errors that mean "not listening or not ready yet": worth another try. */
function notReadyYet(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  const message = String((err as Error).message ?? err);
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'ENOENT' ||
    code === '57P03' || // cannot_connect_now: starting up, or recovering after a kill
    /starting up|not yet accepting|Connection terminated|timeout/i.test(message)
  );
}

class PostgresServerImpl implements PostgresServer {
  readonly dataDir: string;
  private readonly logFile: string;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly dir: string,
    readonly binDir: string,
    readonly user: string,
    readonly password: string,
    public port: number,
    private readonly runAs: RunAs | null,
    private readonly startTimeoutMs: number,
  ) {
    this.dataDir = join(dir, 'data');
    this.logFile = join(dir, 'server.log');
  }

  get url(): string {
    return this.urlFor('postgres');
  }

  urlFor(database: string): string {
    return `postgres://${encodeURIComponent(this.user)}:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}/${encodeURIComponent(database)}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  async initdb(settings: Record<string, string | number>): Promise<void> {
    const pwfile = join(this.dir, 'pwfile');
    writeFileSync(pwfile, `${this.password}\n`, { mode: 0o600 });
    this.chown(pwfile);
    try {
      await this.run(join(this.binDir, 'initdb'), [
        '-D', this.dataDir,
        '--username', this.user,
        '--pwfile', pwfile,
        '--auth-local', 'trust',
        '--auth-host', 'scram-sha-256',
        '--encoding', 'UTF8',
        '--locale', 'C',
        // Only initdb's own final flush of the new files; the server itself runs with fsync=on.
        '--no-sync',
        '--no-instructions',
      ]);
    } finally {
      rmSync(pwfile, { force: true });
    }
    // The socket lives in the private temp dir, so trusting it admits only this machine's root and
    // the server's own user; TCP always needs the password (tests check that a wrong one is refused).
    writeFileSync(
      join(this.dataDir, 'pg_hba.conf'),
      ['# Written by test/support/postgres-server.ts', 'local all all trust', 'host all all 127.0.0.1/32 scram-sha-256', ''].join('\n'),
    );
    const lines = Object.entries(settings).map(([k, v]) => `${k} = ${typeof v === 'number' ? v : `'${v.replace(/'/g, "''")}'`}`);
    appendFileSync(join(this.dataDir, 'postgresql.conf'), `\n# Added by test/support/postgres-server.ts\n${lines.join('\n')}\n`);
  }

  async start(): Promise<void> {
    if (this.child) return;
    for (let attempt = 1; ; attempt++) {
      const logStart = existsSync(this.logFile) ? statSync(this.logFile).size : 0;
      const child = this.spawnPostmaster();
      try {
        await this.waitReady(child);
        return;
      } catch (err) {
        const fresh = this.logSince(logStart);
        const gone = child.exitCode !== null || child.signalCode !== null;
        // After kill(), the old postmaster's backends can hold its shared memory for a moment.
        if (gone && attempt < 20 && /shared memory block .*still in use|lock file .*already exists/i.test(fresh)) {
          await sleep(250);
          continue;
        }
        throw err;
      }
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGINT');
    if (await this.waitExit(STOP_TIMEOUT_MS)) return;
    child.kill('SIGKILL');
    await this.exited;
    throw new Error(`PostgreSQL on port ${this.port} did not finish a fast shutdown within ${STOP_TIMEOUT_MS} ms and was killed.\n${this.logTail()}`);
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGKILL');
    await this.exited;
  }

  /** Synchronous, for the exit hook. */
  killNow(): void {
    this.child?.kill('SIGKILL');
  }

  createDatabase(name: string, options: { template?: string } = {}): Promise<string> {
    return createDatabaseAt(this.url, name, options);
  }

  dropDatabase(name: string): Promise<void> {
    return dropDatabaseAt(this.url, name);
  }

  async destroy(): Promise<void> {
    try {
      await this.stop();
    } finally {
      live.delete(this);
      rmSync(this.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  }

  logTail(lines = 30): string {
    if (!existsSync(this.logFile)) return '(no server log)';
    const all = readFileSync(this.logFile, 'utf8').trimEnd().split('\n');
    return `server log (${this.logFile}), last ${Math.min(lines, all.length)} lines:\n${all.slice(-lines).join('\n')}`;
  }

  private logSince(offset: number): string {
    if (!existsSync(this.logFile)) return '';
    return readFileSync(this.logFile).subarray(offset).toString('utf8');
  }

  private chown(path: string): void {
    if (this.runAs) chownSync(path, this.runAs.uid, this.runAs.gid);
  }

  private spawnOptions() {
    return {
      env: { ...process.env, LANG: 'C', LC_ALL: 'C', TZ: 'UTC' },
      ...(this.runAs ? { uid: this.runAs.uid, gid: this.runAs.gid } : {}),
    };
  }

  private run(cmd: string, args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(cmd, args, { ...this.spawnOptions(), cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`could not run ${cmd}: ${err.message}`));
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit code ${code}`})${this.runAs ? ` as ${this.runAs.name}` : ''}:\n${output}`));
      });
    });
  }

  private spawnPostmaster(): ChildProcess {
    const log = openSync(this.logFile, 'a');
    let child: ChildProcess;
    try {
      // Same process group as the tests: a Ctrl-C in the terminal reaches it too (SIGINT = fast shutdown).
      child = spawn(join(this.binDir, 'postgres'), ['-D', this.dataDir, '-p', String(this.port)], {
        ...this.spawnOptions(),
        cwd: this.dir,
        stdio: ['ignore', log, log],
      });
    } finally {
      closeSync(log);
    }
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', () => {
        if (this.child === child) this.child = null;
        resolve();
      });
      child.once('error', () => {
        if (this.child === child) this.child = null;
        resolve();
      });
    });
    return child;
  }

  private async waitExit(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
    const done = await Promise.race([this.exited.then(() => true as const), timedOut]);
    clearTimeout(timer);
    return done;
  }

  /** Connects as the tests will (TCP, password) until it answers: bounded in attempts and in time. */
  private async waitReady(child: ChildProcess): Promise<void> {
    const started = Date.now();
    const deadline = started + this.startTimeoutMs;
    const maxAttempts = Math.ceil(this.startTimeoutMs / RETRY_MS);
    let lastError: unknown = null;
    for (let attempt = 1; attempt <= maxAttempts && Date.now() < deadline; attempt++) {
      if (this.child !== child) {
        throw new Error(`PostgreSQL exited while starting (${child.signalCode ?? `exit code ${child.exitCode}`}) on port ${this.port}.\n${this.logTail()}`);
      }
      const client = new pg.Client({
        host: '127.0.0.1',
        port: this.port,
        user: this.user,
        password: this.password,
        database: 'postgres',
        connectionTimeoutMillis: Math.max(200, Math.min(2_000, deadline - Date.now())),
      });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.query('SELECT 1');
        return;
      } catch (err) {
        lastError = err;
        if (!notReadyYet(err)) {
          throw new Error(`PostgreSQL on port ${this.port} refused the test connection: ${(err as Error).message}\n${this.logTail()}`);
        }
      } finally {
        await client.end().catch(() => {});
      }
      await sleep(RETRY_MS);
    }
    child.kill('SIGKILL');
    await this.exited;
    throw new Error(
      `PostgreSQL did not accept connections on 127.0.0.1:${this.port} within ${Date.now() - started} ms ` +
        `(last error: ${(lastError as Error | null)?.message ?? 'none'}).\n${this.logTail()}`,
    );
  }
}

/**
 * Starts a fresh server; stop it with destroy(). If the process dies first, the exit hook and a
 * detached watcher (postgres-reaper.mjs) kill the postmaster and remove the temp dir.
 */
export async function startPostgres(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const binDir = options.binDir ?? findPostgresBinDir();
  const runAs = unprivilegedUser();
  const dir = mkdtempSync(join(tmpdir(), 'marquee-pg-'));
  // The socket path must fit in sockaddr_un (107 bytes on Linux).
  if (join(dir, '.s.PGSQL.65535').length > 100) throw new Error(`temp dir ${dir} is too long for a unix socket path; set TMPDIR to a shorter one`);
  if (dir.includes("'")) throw new Error(`temp dir ${dir} contains a quote`);
  if (runAs) chownSync(dir, runAs.uid, runAs.gid);
  spawn(process.execPath, [REAPER, String(process.pid), dir, join(dir, 'data')], {
    detached: true,
    stdio: 'ignore',
    env: { PATH: process.env.PATH ?? '' },
  }).unref();
  installExitHook();

  const server = new PostgresServerImpl(
    dir,
    binDir,
    options.user ?? 'marquee',
    options.password ?? randomBytes(12).toString('hex'),
    await freePort(),
    runAs,
    options.startTimeoutMs ?? START_TIMEOUT_MS,
  );
  live.add(server);
  try {
    await server.initdb({
      listen_addresses: '127.0.0.1',
      unix_socket_directories: dir,
      password_encryption: 'scram-sha-256',
      // The product checks that commits are durable; the test server must not pretend otherwise.
      fsync: 'on',
      synchronous_commit: 'on',
      full_page_writes: 'on',
      max_connections: 200, // several pools per test file, several files at once
      shared_buffers: '64MB',
      log_checkpoints: 'off',
      timezone: 'UTC',
      log_timezone: 'UTC',
      ...options.settings,
    });
    // freePort() only says the port was free a moment ago: if something took it since, try another.
    for (let attempt = 1; ; attempt++) {
      try {
        await server.start();
        break;
      } catch (err) {
        if (attempt >= 3 || !/could not bind|Address already in use|could not create any TCP\/IP sockets/i.test(String(err))) throw err;
        server.port = await freePort();
      }
    }
    return server;
  } catch (err) {
    await server.destroy().catch(() => {});
    throw err;
  }
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function checkIdentifier(kind: string, name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`${kind} name ${JSON.stringify(name)} must match ${IDENTIFIER} (lower case, at most 63 characters)`);
  return `"${name}"`;
}

/** The same server and credentials as `url`, another database. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * CREATE DATABASE on the server of `adminUrl` (a superuser's). C collation and ctype make ORDER BY
 * and lower()/upper() behave like SQLite's binary collation and ASCII-only case mapping.
 */
export async function createDatabaseAt(adminUrl: string, name: string, options: { template?: string } = {}): Promise<string> {
  const db = checkIdentifier('database', name);
  const template = checkIdentifier('template', options.template ?? 'template0');
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${db} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE ${template}`));
  return databaseUrl(adminUrl, name);
}

/** DROP DATABASE IF EXISTS … WITH (FORCE): sessions still connected to it are ended first. */
export async function dropDatabaseAt(adminUrl: string, name: string): Promise<void> {
  const db = checkIdentifier('database', name);
  await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
}
