import { migrateStore, type MigrateStoreOptions } from '../core/store/transfer/migrate-store.js';
import { TransferError } from '../core/store/transfer/transfer-error.js';

export const MIGRATE_STORE_HELP = `  marquee migrate-store --from sqlite:PATH --to postgres://USER:PASSWORD@HOST:5432/DB
      Copy an embedded store into an empty PostgreSQL database, for a venue
      moving to several terminals. Stop the terminal first. The source is
      opened read-only and must be at this version's schema; the target must
      be empty (or only have this version's schema, with no rows). Every table
      is copied in one transaction with its ids; row counts, sums and
      checksums are compared before COMMIT, and any difference rolls it back.
      Exit 0 copied and verified, 1 failed or did not match (rolled back),
      2 bad arguments or refused source/target (nothing changed).`;

const EXIT = { usage: 2, refused: 2, mismatch: 1, failed: 1 } as const;

type Out = NodeJS.WritableStream;

/** `marquee migrate-store`: exit 0 copied and verified, 1 failed or mismatched (rolled back), 2 usage or refused. */
export async function migrateStoreCommand(
  args: { from?: string; to?: string },
  out: Out,
  err: Out,
  internal: Pick<MigrateStoreOptions, 'beforeVerify' | 'lockTimeoutMs'> = {},
): Promise<number> {
  const say = (s: string) => out.write(`${s}\n`);
  // Messages quote no URL, but a driver's might: a password never reaches the terminal's scrollback.
  const fail = (m: string) => err.write(`marquee migrate-store: ${m.replace(/\/\/[^@/\s]*@/g, '//…@')}\n`);
  try {
    const s = await migrateStore({ from: args.from ?? '', to: args.to ?? '', ...internal });
    const n = (x: number) => x.toLocaleString('en-US');
    const of = (x: number, one: string, many: string) => `${n(x)} ${x === 1 ? one : many}`;
    if (s.sourceWasOpen) err.write(`note: ${s.source} had a write-ahead log; if a terminal was still running, sales after this copy are not in it\n`);
    say(`Copied ${s.source} to PostgreSQL ${s.target}${s.migrated ? ' (schema created)' : ''}:`);
    say(`  ${of(s.tables.length, 'table', 'tables')}, ${of(s.rows, 'row', 'rows')} (${of(s.auditEntries, 'audit entry', 'audit entries')}) in ${(s.ms / 1000).toFixed(1)} s`);
    say(`  verified before COMMIT: row counts of ${s.tables.length} tables, sums of ${s.sumsChecked} integer columns, checksums of ${s.checksummed} tables`);
    const busiest = [...s.tables].sort((a, b) => b.rows - a.rows).filter((t) => t.rows > 0).slice(0, 5);
    if (busiest.length > 0) say(`  most rows: ${busiest.map((t) => `${t.name} ${n(t.rows)}`).join(', ')}`);
    say('Start every terminal with --db and this URL (or MARQUEE_DATABASE_URL); keep the SQLite file as a backup.');
    return 0;
  } catch (e) {
    if (e instanceof TransferError) {
      fail(e.message);
      if (e.problem === 'usage') err.write(`\nUsage:\n${MIGRATE_STORE_HELP}\n`);
      return EXIT[e.problem];
    }
    fail((e as Error).message);
    return 1;
  }
}
