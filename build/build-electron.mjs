#!/usr/bin/env node
// Bundles the Electron main process and the preload with esbuild.
//   main    → dist-electron/main.cjs     (Node/Electron main; electron and better-sqlite3 stay external:
//                                         one is the runtime, the other a native module loaded from node_modules)
//   core host worker → dist-electron/core-host-worker.cjs (the store and every operation, on a worker
//                                         thread; startWorker picks it up beside main.cjs)
//   writer lane → dist-electron/group-worker.cjs (sells, holds, reservations group-committed on a thread
//                                         the core host starts; see electron/core/store/writer-lane.ts)
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
  // CJS has no import.meta: `new URL('./x.ts', import.meta.url)` must resolve beside the bundle,
  // where startWorker looks for x.cjs.
  const node = {
    platform: 'node',
    target: 'node22',
    external: ['electron', 'better-sqlite3'],
    define: { 'import.meta.url': '__bundle_url' },
    banner: { js: 'const __bundle_url = require("node:url").pathToFileURL(__filename).href;' },
  };
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await Promise.all([
    build({
      ...common,
      entryPoints: ['electron/app/main.ts'],
      outfile: join(outdir, 'main.cjs'),
      ...node,
    }),
    build({
      ...common,
      entryPoints: ['electron/core/host/core-host-worker.ts'],
      outfile: join(outdir, 'core-host-worker.cjs'),
      ...node,
    }),
    build({
      ...common,
      entryPoints: ['electron/core/store/sqlite/group-worker.ts'],
      outfile: join(outdir, 'group-worker.cjs'),
      ...node,
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
  // The core never imports electron; a bundled worker that did would fail only in the packaged app.
  for (const name of ['core-host-worker.cjs', 'group-worker.cjs']) {
    const worker = readFileSync(join(outdir, name), 'utf8');
    if (/\brequire\(\s*["']electron["']\s*\)/.test(worker)) throw new Error(`${name} requires electron; the core must not`);
  }
  return {
    main: join(outdir, 'main.cjs'),
    preload: join(outdir, 'preload.cjs'),
    worker: join(outdir, 'core-host-worker.cjs'),
    writerLane: join(outdir, 'group-worker.cjs'),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildElectron({ quiet: process.argv.includes('--quiet') });
}
