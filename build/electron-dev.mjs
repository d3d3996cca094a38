// Development runs of Electron (npm start, the Playwright _electron spec) need better-sqlite3 built
// for Electron's ABI while the project's node_modules keeps the Node build for vitest and the CLI.
// This keeps a rebuilt copy under node_modules/.cache and hands its folder to main.cjs through
// MARQUEE_ELECTRON_NATIVE_DIR (see electron/app/dev-native-modules.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stageNativeModules } from './native-modules.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
export const DEV_NATIVE_DIR = join(root, 'node_modules', '.cache', 'marquee-electron-native');

/** Does better-sqlite3 (or the copy in `modulesDir`) open a database inside this Electron? */
export function sqliteLoadsIn(electronPath, modulesDir) {
  const target = modulesDir ? join(modulesDir, 'better-sqlite3') : 'better-sqlite3';
  const r = spawnSync(electronPath, ['-e', `new (require(${JSON.stringify(target)}))(':memory:').close()`], {
    cwd: root,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return r.status === 0;
}

/**
 * @returns {Promise<{ dir: string | null, error?: string }>} dir null with no error: the project's
 * own build already loads (e.g. someone rebuilt it for Electron on purpose).
 */
export async function prepareElectronNative(electronPath, { log = () => undefined } = {}) {
  if (sqliteLoadsIn(electronPath)) return { dir: null };
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  const modulesDir = join(DEV_NATIVE_DIR, 'node_modules');
  const marker = join(DEV_NATIVE_DIR, 'electron-version');
  const stamp = `${electronVersion}-${process.platform}-${process.arch}`;
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === stamp && sqliteLoadsIn(electronPath, modulesDir)) return { dir: modulesDir };
  log(`Rebuilding better-sqlite3 for Electron ${electronVersion} (once; the project's Node build stays as it is)…`);
  try {
    await stageNativeModules({ stageDir: DEV_NATIVE_DIR, electronVersion, arch: process.arch, platform: process.platform });
    writeFileSync(marker, `${stamp}\n`);
  } catch (e) {
    return { dir: null, error: `better-sqlite3 could not be rebuilt for Electron ${electronVersion}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
  return sqliteLoadsIn(electronPath, modulesDir)
    ? { dir: modulesDir }
    : { dir: null, error: `better-sqlite3 was rebuilt but still does not load in Electron ${electronVersion}` };
}
