import type { Migration, MigrationProvider } from 'kysely';
import * as m20261121T0500 from './2026-11-21T0500-initial-schema.js';
import * as m20261121T0600 from './2026-11-21T0600-import-pipeline.js';
import * as m20261121T0610 from './2026-11-21T0610-partner-orders.js';
import * as m20261121T0630 from './2026-11-21T0630-staff-accounts.js';
import * as m20261121T0640 from './2026-11-21T0640-seating.js';
import * as m20261121T0700 from './2026-11-21T0700-sale-path-indexes.js';
import * as m20261203T0900 from './2026-12-03T0900-import-owner-host.js';
import * as m20261203T1100 from './2026-12-03T1100-auth-notify.js';
import * as m20261204T0700 from './2026-12-04T0700-door-check-ins.js';

// The PostgreSQL twins of ../../sqlite/migrations, under the same names: the version check compares
// migration names across engines. Imported statically so bundles carry every one; order is by name.
export const migrations: Record<string, Migration> = {
  '2026-11-21T0500-initial-schema': m20261121T0500,
  '2026-11-21T0600-import-pipeline': m20261121T0600,
  '2026-11-21T0610-partner-orders': m20261121T0610,
  '2026-11-21T0630-staff-accounts': m20261121T0630,
  '2026-11-21T0640-seating': m20261121T0640,
  '2026-11-21T0700-sale-path-indexes': m20261121T0700,
  '2026-12-03T0900-import-owner-host': m20261203T0900,
  '2026-12-03T1100-auth-notify': m20261203T1100,
  '2026-12-04T0700-door-check-ins': m20261204T0700,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
