// Where the Electron executable is, found the way node_modules/electron/index.js finds it but
// without its side effect: requiring `electron` from Node tries to download a missing binary.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** @returns {{ path: string } | { path: null, reason: string }} */
export function findElectronBinary(env = process.env, fromDir = projectDir) {
  let pkgDir;
  try {
    pkgDir = dirname(createRequire(join(fromDir, 'package.json')).resolve('electron/package.json'));
  } catch {
    return { path: null, reason: 'the electron package is not installed' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || (process.platform === 'win32' ? 'electron.exe' : 'electron'));
    return existsSync(p) ? { path: p } : { path: null, reason: `no Electron binary at ${p} (ELECTRON_OVERRIDE_DIST_PATH)` };
  }
  if (!relative) return { path: null, reason: `no Electron binary at ${join(pkgDir, 'dist')}, it was never downloaded` };
  const p = join(pkgDir, 'dist', relative);
  return existsSync(p) ? { path: p } : { path: null, reason: `no Electron binary at ${p}` };
}
