import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors.js';
import { defaultDataDir } from '../core/app-paths.js';
import { apiToken, openDataDir } from '../core/boot.js';
import { buildServer } from '../core/http/server.js';
import { importListings } from '../core/import/csv-import.js';
import { seedDemoData, isEmpty } from '../core/seed/demo-data.js';
import { VERSION } from '../core/version.js';

export const HELP = `marquee ${VERSION} — a desktop box office

Usage:
  marquee serve [--port 4310] [--host 127.0.0.1] [--data DIR] [--empty]
      Start the local HTTP API and the box office in browser mode. Prints a
      one-time sign-in URL for the browser and where the API token is kept.
  marquee import FILE [--seller ID] [--dry-run] [--force] [--data DIR]
      Import listings from a CSV file (eventId,section,quantity,price,row).
      Valid rows are imported, rejected rows are reported with line numbers.
  marquee seed [--data DIR]
      Put the demo data into an empty data dir.
  marquee --help | --version

Environment:
  MARQUEE_DATA_DIR   data dir (default: the OS's app-data folder, here ${defaultDataDir()})
  MARQUEE_API_TOKEN  API token (default: generated once, kept in DATA/api-token)
`;

const rendererDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/renderer');

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
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
        seller: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
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
  const dataDir = resolve(values.data ?? defaultDataDir());

  if (command === 'serve') {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      err.write(`--port must be a port number, not ${values.port}\n`);
      return 2;
    }
    const { store, seeded } = await openDataDir(dataDir, { empty: values.empty });
    if (seeded) say(`Demo data: ${seeded.venues} venues, ${seeded.events} events, ${seeded.tickets} tickets.`);
    const { token, source } = apiToken(dataDir);
    const { app, sessions } = buildServer({
      ctx: { store, version: VERSION },
      token,
      port,
      host: values.host,
      rendererDir,
      logger: process.env.MARQUEE_LOG !== '0',
    });
    const address = await app.listen({ port, host: values.host });
    const base = `http://${values.host.includes(':') ? `[${values.host}]` : values.host}:${new URL(address).port}`;
    say(`Marquee ${VERSION} serving ${dataDir}`);
    say(`API: ${base}/api/v1  (docs: ${base}/api/v1/docs)`);
    say(source === 'env' ? 'API token: from MARQUEE_API_TOKEN' : `API token: ${token}  (kept in ${join(dataDir, 'api-token')})`);
    say(`Open the box office (one-time link): ${base}/login?code=${sessions.newLoginCode()}`);
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
    const { store } = await openDataDir(dataDir);
    try {
      const report = await importListings(store, {
        csv: readFileSync(file, 'utf8'),
        sellerId,
        dryRun: values['dry-run'],
        force: values.force,
        fileName: basename(file),
      });
      say(`${report.dryRun ? 'Dry run: would import' : `Batch ${report.batchId}: imported`} ${report.rowsImported} of ${report.rowsRead} rows, ${report.ticketsCreated} tickets.`);
      for (const r of report.rejected) say(`  line ${r.line}: ${r.errors.join('; ')}`);
      return report.rejected.length > 0 ? 1 : 0;
    } catch (e) {
      err.write(`${e instanceof AppError ? e.message : String(e)}\n`);
      return 1;
    } finally {
      await store.close();
    }
  }

  if (command === 'seed') {
    const { store } = await openDataDir(dataDir, { empty: true });
    try {
      if (!(await isEmpty(store))) {
        err.write(`${dataDir} already has data; seed only fills an empty data dir\n`);
        return 1;
      }
      const s = await seedDemoData(store);
      say(`Seeded ${s.venues} venues, ${s.events} events, ${s.listings} listings, ${s.tickets} tickets into ${dataDir}`);
      return 0;
    } finally {
      await store.close();
    }
  }

  err.write(`Unknown command ${command}\n\n${HELP}`);
  return 2;
}
