// Builds the crash workload (test/proof/support/crash-workload.ts) and the writer lane's worker into one
// folder as CommonJS, the way build/build-electron.mjs bundles the app: node starts the bundle in a
// fraction of the time tsx needs to compile the sources, which matters when the proof starts it 50 times.
// better-sqlite3 (native) stays external, required by absolute path so the bundle can live in a temp dir.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(join(root, 'package.json'));

const native: Plugin = {
  name: 'native-by-path',
  setup(b) {
    b.onResolve({ filter: /^better-sqlite3$/ }, (a) => ({ path: require.resolve(a.path), external: true }));
  },
};

/** Returns the workload's path; startWorker finds group-worker.cjs beside it. */
export async function buildCrashWorkload(outdir: string): Promise<string> {
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node' as const,
    target: 'node20',
    format: 'cjs' as const,
    logLevel: 'warning' as const,
    plugins: [native],
    // CJS has no import.meta: `new URL('./group-worker.ts', import.meta.url)` must resolve beside the bundle.
    define: { 'import.meta.url': '__bundle_url' },
    banner: { js: 'const __bundle_url = require("node:url").pathToFileURL(__filename).href;' },
  };
  await Promise.all([
    build({ ...common, entryPoints: ['test/proof/support/crash-workload.ts'], outfile: join(outdir, 'crash-workload.cjs') }),
    build({ ...common, entryPoints: ['electron/core/store/sqlite/group-worker.ts'], outfile: join(outdir, 'group-worker.cjs') }),
  ]);
  return join(outdir, 'crash-workload.cjs');
}
