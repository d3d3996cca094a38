import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_HTTP_PORT, HttpServerSettings } from '../../shared/operations/desktop-ops.js';
import { DatabaseUrlInput } from '../../shared/operations/store-ops.js';

export const DEFAULT_IDLE_LOCK_MINUTES = 3;

export const DesktopSettings = z.object({
  httpServer: HttpServerSettings.catch({ enabled: false, port: DEFAULT_HTTP_PORT }).default({ enabled: false, port: DEFAULT_HTTP_PORT }),
  /** Kiosk mode goes back to the start screen after this many idle minutes. */
  /**
   * Settings → Shared database: a postgres:// URL (with its password: the file is mode 0600), or null
   * for the embedded store. Read once at start; a damaged value falls back to embedded.
   */
  store: z
    .object({ databaseUrl: DatabaseUrlInput.nullable().transform((s) => (s ? s : null)) })
    .catch({ databaseUrl: null })
    .default({ databaseUrl: null }),
  idleLockMinutes: z.number().min(0.1).max(24 * 60).catch(DEFAULT_IDLE_LOCK_MINUTES).default(DEFAULT_IDLE_LOCK_MINUTES),
});
export type DesktopSettings = z.output<typeof DesktopSettings>;

export const settingsFile = (dataDir: string) => join(dataDir, 'settings.json');

/** A missing or damaged settings file must never stop the box office from opening: defaults win. */
export function loadSettings(file: string): DesktopSettings {
  let raw: unknown = {};
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    raw = {};
  }
  const parsed = DesktopSettings.safeParse(raw);
  return parsed.success ? parsed.data : DesktopSettings.parse({});
}

/** Written to a temporary file and renamed, so a crash mid-write leaves the old settings intact. */
export function saveSettings(file: string, settings: DesktopSettings): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
