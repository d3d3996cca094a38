#!/usr/bin/env node
// Bundles the Electron main process and the preload with esbuild.
//   main    → dist-electron/main.cjs     (Node/Electron main; electron and better-sqlite3 stay external:
//                                         one is the runtime, the other a native module loaded from node_modules)
//   preload → dist-electron/preload.cjs  (one self-contained CJS file: a sandboxed preload can require
//                                         nothing but `electron` and a few builtins)
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** outdir defaults to dist-electron; tests build into a temporary folder. */
export async function buildElectron({ outdir = join(root, 'dist-electron'), quiet = false } = {}) {
  const common = {
    absWorkingDir: root,
    bundle: true,
    format: 'cjs',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: quiet ? 'warning' : 'info',
  };
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await Promise.all([
    build({
      ...common,
      entryPoints: ['electron/app/main.ts'],
      outfile: join(outdir, 'main.cjs'),
      platform: 'node',
      target: 'node22',
      external: ['electron', 'better-sqlite3'],
    }),
    build({
      ...common,
      entryPoints: ['electron/app/preload.ts'],
      outfile: join(outdir, 'preload.cjs'),
      platform: 'browser',
      target: 'chrome140',
      external: ['electron'],
    }),
  ]);
  // A stray require() in the preload would only fail at run time inside the sandbox: fail the build instead.
  const preload = readFileSync(join(outdir, 'preload.cjs'), 'utf8');
  const requires = [...preload.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
  const foreign = requires.filter((r) => r !== 'electron');
  if (foreign.length > 0) throw new Error(`preload.cjs requires ${foreign.join(', ')}; a sandboxed preload may only require electron`);
  return { main: join(outdir, 'main.cjs'), preload: join(outdir, 'preload.cjs') };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildElectron({ quiet: process.argv.includes('--quiet') });
}
