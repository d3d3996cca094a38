// Packaging-only rebuild of better-sqlite3 for Electron's ABI.
//
// The project's node_modules keeps the Node build (vitest, the CLI and `marquee serve` run on Node);
// electron-builder's own rebuild (npmRebuild) would overwrite it in place and break `npm test` after
// every `npm run dist`. Instead the beforePack hook copies better-sqlite3 and its run-time
// dependencies into a staging folder, rebuilds that copy for the target Electron version and arch,
// and the electron-builder config packs the staged copy in place of the project's.
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Must match the `from` of the staged file set in electron-builder.json. */
export const STAGE_DIR = join(PROJECT_DIR, 'release', '.native');
export const NATIVE_MODULES = ['better-sqlite3'];
// Needed to install or build, never at run time.
const INSTALL_ONLY = new Set(['prebuild-install', 'node-gyp', 'node-addon-api']);

const readPkg = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

/** The module plus what it requires at run time (better-sqlite3 → bindings → file-uri-to-path). */
export function runtimeClosure(projectDir, names) {
  const found = new Map();
  const visit = (name, fromDir) => {
    if (found.has(name) || INSTALL_ONLY.has(name)) return;
    const req = createRequire(join(resolve(fromDir), 'package.json'));
    const dir = dirname(req.resolve(`${name}/package.json`));
    found.set(name, dir);
    for (const dep of Object.keys(readPkg(dir).dependencies ?? {})) visit(dep, dir);
  };
  for (const n of names) visit(n, projectDir);
  return found;
}

/**
 * Stages and rebuilds. `rebuild` defaults to @electron/rebuild (a dependency of electron-builder);
 * tests pass a fake. Returns the staged node_modules folder.
 */
export async function stageNativeModules({ projectDir = PROJECT_DIR, stageDir = STAGE_DIR, electronVersion, arch, platform, rebuild } = {}) {
  if (!electronVersion) throw new Error('stageNativeModules needs the Electron version');
  rmSync(stageDir, { recursive: true, force: true });
  const modulesDir = join(stageDir, 'node_modules');
  mkdirSync(modulesDir, { recursive: true });
  const closure = runtimeClosure(projectDir, NATIVE_MODULES);
  const dependencies = {};
  for (const [name, dir] of closure) {
    // Skip the Node build outputs: the copy is rebuilt from source or a matching prebuild.
    const nodeBuild = join(dir, 'build');
    cpSync(dir, join(modulesDir, name), { recursive: true, dereference: true, filter: (src) => src !== nodeBuild && !src.startsWith(nodeBuild + sep) });
    dependencies[name] = readPkg(dir).version;
  }
  writeFileSync(join(stageDir, 'package.json'), `${JSON.stringify({ name: 'marquee-native-stage', private: true, dependencies }, null, 2)}\n`);
  const run = rebuild ?? (await import('@electron/rebuild')).rebuild;
  await run({ buildPath: stageDir, electronVersion, arch, platform, onlyModules: NATIVE_MODULES, force: true, mode: 'sequential' });
  for (const name of NATIVE_MODULES) {
    const moduleDir = join(modulesDir, name);
    const file = `${name.replace(/-/g, '_')}.node`;
    const binary = join(moduleDir, 'build', 'Release', file);
    if (!existsSync(binary)) throw new Error(`rebuilding ${name} for Electron ${electronVersion} produced no ${binary}`);
    // Keep only the addon: sources, objects and the SQLite amalgamation are needed to compile, not to run.
    const kept = join(stageDir, file);
    renameSync(binary, kept);
    for (const d of ['build', 'deps', 'src']) rmSync(join(moduleDir, d), { recursive: true, force: true });
    mkdirSync(join(moduleDir, 'build', 'Release'), { recursive: true });
    renameSync(kept, binary);
  }
  return modulesDir;
}
