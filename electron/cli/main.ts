import { userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors.js';
import { defaultDataDir } from '../core/app-paths.js';
import { apiToken, openDataDir } from '../core/boot.js';
import { isPostgresUrl } from '../core/store/postgres/connect.js';
import { StoreOpenError } from '../core/store/postgres/pg-store.js';
import { buildServer } from '../core/http/server.js';
import { firstActiveAdmin } from '../core/store/common/users-repo.js';
import { IMPORT_FIELDS, importListings } from '../core/import/csv-import.js';
import { insertAudit } from '../core/store/common/audit-repo.js';
import type { Store } from '../core/store/contract/store.js';
import { seedDemoData, isEmpty } from '../core/seed/demo-data.js';
import { seedDemoUsers } from '../core/seed/demo-users.js';
import { VERSION } from '../core/version.js';
import { MIGRATE_STORE_HELP, migrateStoreCommand } from './migrate-store-command.js';

export const HELP = `marquee ${VERSION} — a desktop box office

Usage:
  marquee serve [--port 4310] [--host 127.0.0.1] [--data DIR] [--db URL] [--empty]
      Start the local HTTP API and the box office in browser mode. Prints a
      one-time sign-in URL for the browser and where the API token is kept.
      --db postgres://USER:PASSWORD@HOST:5432/DB uses a PostgreSQL database
      every terminal of a venue shares (an empty one gets the schema; one at
      another schema version is refused); default: the data dir's SQLite file.
      Demo data goes only into an empty embedded store, or with --demo.
  marquee upgrade-store --db postgres://…
      Bring a shared database made by an older Marquee up to this version's
      schema. Stop every terminal first; then start them with this version.
${MIGRATE_STORE_HELP}
  marquee import FILE [--seller ID] [--dry-run] [--force] [--all-or-nothing]
                [--map FIELD=HEADER]... [--delimiter ,|;|tab] [--data DIR]
      Import listings from a CSV file (eventId,section,quantity,price,row),
      streamed (any size). Valid rows are imported and rejected rows reported
      with their line numbers; --all-or-nothing imports nothing if any row is
      rejected; --dry-run only reports. The same file twice for one seller is
      refused unless --force. Exit 0 when every row is (or would be) imported.
  marquee seed [--data DIR]
      Put the demo data into an empty data dir.
  marquee --help | --version

Environment:
  MARQUEE_DATA_DIR   data dir (default: the OS's app-data folder, here ${defaultDataDir()})
  MARQUEE_DATABASE_URL  the shared PostgreSQL database (as --db; --db wins)
  MARQUEE_API_TOKEN  API token (default: generated once, kept in DATA/api-token)
`;

const rendererDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/renderer');

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  try {
    return await run(argv, out, err);
  } catch (e) {
    // The shared database is out of reach or at another schema: say so, do not print a stack.
    if (e instanceof StoreOpenError) {
      err.write(`marquee: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

async function run(argv: string[], out: NodeJS.WritableStream & { isTTY?: boolean }, err: NodeJS.WritableStream & { isTTY?: boolean }): Promise<number> {
  const say = (s: string) => out.write(`${s}\n`);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
        port: { type: 'string', default: '4310' },
        host: { type: 'string', default: '127.0.0.1' },
        data: { type: 'string' },
        empty: { type: 'boolean', default: false },
        demo: { type: 'boolean', default: false },
        db: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        seller: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        'all-or-nothing': { type: 'boolean', default: false },
        map: { type: 'string', multiple: true },
        delimiter: { type: 'string' },
      },
    });
  } catch (e) {
    err.write(`${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.version) {
    say(VERSION);
    return 0;
  }
  if (values.help || !command) {
    out.write(HELP);
    return command || values.help ? 0 : 2;
  }
  if (command === 'migrate-store') return migrateStoreCommand({ from: values.from, to: values.to }, out, err);
  const dataDir = resolve(values.data ?? defaultDataDir());
  const databaseUrl = values.db ?? process.env.MARQUEE_DATABASE_URL ?? null;
  const shared = databaseUrl !== null && isPostgresUrl(databaseUrl);
  if (databaseUrl !== null && !shared && !databaseUrl.startsWith('sqlite:')) {
    err.write('--db wants postgres://USER:PASSWORD@HOST:PORT/DATABASE or sqlite:PATH\n');
    return 2;
  }

  if (command === 'upgrade-store') {
    if (!shared) {
      err.write('marquee upgrade-store needs --db postgres://… (an embedded store upgrades itself when it opens)\n');
      return 2;
    }
    const { store } = await openDataDir(dataDir, { empty: true, databaseUrl, upgrade: true });
    say(`${store.location} is at this Marquee's schema.`);
    await store.close();
    return 0;
  }

  if (command === 'serve') {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      err.write(`--port must be a port number, not ${values.port}\n`);
      return 2;
    }
    const { token, source } = apiToken(dataDir);
    // A shared database holds a venue's real inventory: demo data only when asked for.
    const empty = shared ? !values.demo : values.empty;
    const { store, seeded, firstRunAdmin, demoUsers } = await openDataDir(dataDir, { empty, token, writerLane: true, databaseUrl });
    if (seeded) say(`Demo data: ${seeded.venues} venues, ${seeded.events} events, ${seeded.tickets} tickets.`);
    if (demoUsers.length > 0) say(`Demo staff: ${demoUsers.map((u) => `${u.username} (${u.role}, ${u.credential})`).join('; ')}`);
    if (firstRunAdmin) say(`First run: admin account "${firstRunAdmin.username}", one-time password ${firstRunAdmin.password} (shown once; change it in Users)`);
    const { app, sessions } = buildServer({
      ctx: {
        store,
        version: VERSION,
        // Browser mode takes its database from --db / MARQUEE_DATABASE_URL: shown in Settings, changed only there.
        storeControl: {
          status: () => ({ source: values.db ? 'command line' : process.env.MARQUEE_DATABASE_URL ? 'environment' : 'default', url: shared ? databaseUrl : null, saved: null, editable: false }),
          save: () => Promise.reject(new Error('not editable')),
        },
      },
      token,
      port,
      host: values.host,
      rendererDir,
      logger: process.env.MARQUEE_LOG !== '0',
    });
    const adminId = (await firstActiveAdmin(store.reader))?.id ?? null;
    const address = await app.listen({ port, host: values.host });
    const base = `http://${values.host.includes(':') ? `[${values.host}]` : values.host}:${new URL(address).port}`;
    say(`Marquee ${VERSION} serving ${store.engine === 'sqlite' ? dataDir : store.location}`);
    say(`API: ${base}/api/v1  (docs: ${base}/api/v1/docs)`);
    say(source === 'env' ? 'API token: from MARQUEE_API_TOKEN' : `API token: ${token}  (kept in ${join(dataDir, 'api-token')})`);
    say(`Open the box office (one-time link, signs in as the admin): ${base}/login?code=${sessions.newLoginCode(adminId)}`);
    const stop = async () => {
      await app.close();
      await store.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await new Promise(() => undefined);
    return 0;
  }

  if (command === 'import') {
    const file = rest[0];
    if (!file) {
      err.write('marquee import needs a FILE\n');
      return 2;
    }
    const sellerId = values.seller === undefined ? 1 : Number(values.seller);
    if (!Number.isInteger(sellerId) || sellerId < 1) {
      err.write(`--seller must be a seller id, not ${values.seller}\n`);
      return 2;
    }
    const mapping: Record<string, string> = {};
    for (const m of values.map ?? []) {
      const [field, ...header] = m.split('=');
      if (!field || header.length === 0 || !(IMPORT_FIELDS as readonly string[]).includes(field)) {
        err.write(`--map wants FIELD=HEADER with FIELD one of ${IMPORT_FIELDS.join(', ')}, not ${m}\n`);
        return 2;
      }
      mapping[field] = header.join('=');
    }
    const delimiter = values.delimiter === 'tab' ? '\t' : values.delimiter;
    if (delimiter !== undefined && delimiter !== ',' && delimiter !== ';' && delimiter !== '\t') {
      err.write(`--delimiter must be , ; or tab, not ${values.delimiter}\n`);
      return 2;
    }
    const { store } = await openDataDir(dataDir, { databaseUrl });
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    try {
      const started = Date.now();
      const report = await importListings(store, {
        input: { file },
        sellerId,
        dryRun: values['dry-run'],
        force: values.force,
        mode: values['all-or-nothing'] ? 'all-or-nothing' : 'valid-rows',
        mapping,
        delimiter,
        fileName: basename(file),
        importedBy: 'cli',
        signal: abort.signal,
        maxRejectedInReport: 0,
        onRejected: (r) => say(`  line ${r.line}: ${r.errors.join('; ')}`),
        onProgress: err.isTTY
          ? (p) => {
              const pct = p.totalBytes ? Math.floor((100 * p.bytesRead) / p.totalBytes) : 0;
              const rate = Math.round(p.rowsRead / Math.max(0.001, (Date.now() - started) / 1000));
              err.write(`\r${p.phase === 'publishing' ? `publishing ${p.rowsPublished}/${p.rowsValid}` : `reading ${pct}%`} (${p.rowsRead} rows, ${rate} rows/s)   `);
            }
          : undefined,
      });
      if (err.isTTY) err.write('\n');
      if (!report.dryRun && report.batchId) await auditCliImport(store, report, { file: basename(file), sellerId, mode: values['all-or-nothing'] ? 'all-or-nothing' : 'valid-rows', force: values.force ?? false });
      const verb = report.dryRun ? 'Dry run: would import' : report.status === 'completed' ? `Batch ${report.batchId}: imported` : `Batch ${report.batchId} ${report.status}: imported`;
      say(`${verb} ${report.rowsImported} of ${report.rowsRead} rows, ${report.ticketsCreated} tickets.${report.rowsRejected > 0 ? ` ${report.rowsRejected} rows rejected (listed above).` : ''}`);
      for (const e of report.byEvent) say(`  event ${e.eventId}: ${e.rows} rows, ${e.tickets} tickets`);
      if (report.message) say(report.message);
      return report.rowsRejected === 0 && (report.status === 'completed' || report.status === 'dry-run') ? 0 : 1;
    } catch (e) {
      err.write(`${e instanceof AppError ? e.message : String(e)}\n`);
      return 1;
    } finally {
      process.off('SIGINT', onSigint);
      await store.close();
    }
  }

  if (command === 'seed') {
    const { store } = await openDataDir(dataDir, { empty: true, databaseUrl });
    try {
      if (!(await isEmpty(store))) {
        err.write(`${dataDir} already has data; seed only fills an empty data dir\n`);
        return 1;
      }
      const s = await seedDemoData(store);
      const staff = await seedDemoUsers(store);
      say(`Seeded ${s.venues} venues, ${s.events} events, ${s.listings} listings, ${s.tickets} tickets into ${dataDir}`);
      if (staff.length > 0) say(`Demo staff: ${staff.map((u) => `${u.username} (${u.role}, ${u.credential})`).join('; ')}`);
      return 0;
    } finally {
      await store.close();
    }
  }

  err.write(`Unknown command ${command}\n\n${HELP}`);
  return 2;
}

/**
 * The audit log records imports from the command line too, as the operation the HTTP API and the
 * app record for theirs (importTickets), made by the operating-system user at the terminal "cli".
 */
async function auditCliImport(
  store: Store,
  report: Awaited<ReturnType<typeof importListings>>,
  input: { file: string; sellerId: number; mode: string; force: boolean },
): Promise<void> {
  let osUser = 'unknown';
  try {
    osUser = userInfo().username;
  } catch {
    // no passwd entry (some containers): the entry still says it came from the command line
  }
  const { batchId, status, rowsRead, rowsImported, rowsRejected, ticketsCreated } = report;
  await store.write((trx) =>
    insertAudit(trx, {
      at: new Date().toISOString(),
      user_id: null,
      username: `cli:${osUser}`,
      role: null,
      terminal: 'cli',
      token_id: null,
      operation: 'importTickets',
      subject: `batch:${batchId}`,
      input_json: JSON.stringify(input),
      before_json: null,
      after_json: JSON.stringify({ batchId, status, rowsRead, rowsImported, rowsRejected, ticketsCreated }),
    }),
  );
}
