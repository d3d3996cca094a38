import { z } from 'zod';
import { op } from './define.js';

/** What Test connection can find; `embedded` is the answer for an empty URL (no server to test). */
export const PROBE_PROBLEMS = [
  'embedded',
  'not-postgres-url',
  'unreachable',
  'auth-failed',
  'database-missing',
  'empty',
  'current',
  'older-schema',
  'newer-schema',
  'foreign',
  'failed',
] as const;

export const StoreProbeVerdict = z.object({
  /** Marquee can open this database as it is (empty: it creates the schema on start). */
  ok: z.boolean(),
  problem: z.enum(PROBE_PROBLEMS),
  /** In plain words; never the password. */
  message: z.string(),
  /** user@host:port/database, never the password. */
  target: z.string(),
  schemaVersion: z.string().nullable(),
});
export type StoreProbeVerdict = z.output<typeof StoreProbeVerdict>;

/** Where the database URL in effect came from. */
export const STORE_SETTING_SOURCES = ['settings', 'command line', 'environment', 'default'] as const;

export const StoreSettingsStatus = z.object({
  /** The engine this instance runs on now. */
  engine: z.enum(['sqlite', 'postgres']),
  /** For people: the file, or the server and database. */
  location: z.string(),
  /** The URL in effect, password masked (****); null = the embedded store. */
  databaseUrl: z.string().nullable(),
  source: z.enum(STORE_SETTING_SOURCES),
  /** The URL saved for the next start (masked), when this instance has a settings file; null = embedded. */
  savedUrl: z.string().nullable(),
  /** Whether setStoreSettings can change it here (desktop app: yes; `marquee serve`: no, it is the command line's). */
  editable: z.boolean(),
  /** The saved setting differs from the one in effect: it applies at the next start. */
  restartNeeded: z.boolean(),
  message: z.string(),
});
export type StoreSettingsStatus = z.output<typeof StoreSettingsStatus>;

/** The health operation's `store`: what the renderer's banner follows. */
export const StoreHealthInfo = z.object({
  engine: z.enum(['sqlite', 'postgres']),
  status: z.enum(['up', 'unavailable']),
  /** In plain words, why it cannot be reached; null when up. */
  problem: z.string().nullable(),
  /** The last migration the store has; null while it cannot be asked. */
  schemaVersion: z.string().nullable(),
});
export type StoreHealthInfo = z.output<typeof StoreHealthInfo>;

const MAX_URL = 2000;

/** postgres://… (a shared server) or '' (the embedded store); a password of **** keeps the saved one. */
export const DatabaseUrlInput = z
  .string()
  .trim()
  .max(MAX_URL)
  .refine((s) => s === '' || /^postgres(ql)?:\/\/[^/]/i.test(s), { message: 'wants postgres://USER:PASSWORD@HOST:5432/DATABASE, or nothing for the embedded database' })
  .refine(
    (s) => {
      if (s === '') return true;
      try {
        return new URL(s).hostname !== '';
      } catch {
        return false;
      }
    },
    { message: 'cannot be read as a URL (a password with @ : / # in it is %-encoded)' },
  );

export const storeOps = {
  getStoreSettings: op({
    summary: 'Which database this box office uses (embedded or a shared PostgreSQL server), password masked',
    input: z.strictObject({}),
    output: StoreSettingsStatus,
    http: { method: 'GET', path: '/settings/store' },
    permission: 'admin',
    mutates: false,
    tags: ['settings'],
  }),
  setStoreSettings: op({
    summary: 'Save the shared database URL (or none for the embedded one); applies at the next start',
    input: z.strictObject({ databaseUrl: DatabaseUrlInput }),
    output: StoreSettingsStatus,
    http: { method: 'PUT', path: '/settings/store' },
    permission: 'admin',
    mutates: true,
    tags: ['settings'],
  }),
  testStoreConnection: op({
    summary: 'Try a shared database URL: reachable, password, database, schema version; changes nothing',
    input: z.strictObject({ databaseUrl: z.string().trim().max(MAX_URL) }),
    output: StoreProbeVerdict,
    http: { method: 'POST', path: '/settings/store/test' },
    permission: 'admin',
    mutates: false,
    tags: ['settings'],
  }),
};
