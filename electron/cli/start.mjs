#!/usr/bin/env node
// `npm start`: build the renderer, then open the desktop window. Where there is no Electron runtime
// (no binary, or a native module that cannot be made to load in it), say so in one line and serve
// the same UI in browser mode instead (`marquee serve` on 4310 or the next free port).
//
//   npm start [-- --kiosk] [-- --data DIR] [-- --idle-minutes N]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));
const args = process.argv.slice(2);
const DEFAULT_PORT = 4310;
const say = (line) => process.stdout.write(`${line}\n`);

function buildRenderer() {
  const built = existsSync(join(root, 'dist', 'renderer', 'index.html'));
  if (!existsSync(join(root, 'vite.config.ts')) && !existsSync(join(root, 'renderer', 'index.html'))) {
    say(built ? 'No renderer sources to build; using dist/renderer as it is.' : 'No renderer sources yet (renderer/, vite.config.ts): the API will run without the box office UI.');
    return;
  }
  let vite;
  try {
    vite = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  } catch {
    say('vite is not installed: skipping the renderer build.');
    return;
  }
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status === 0) return;
  say(built ? 'The renderer build failed; using the previous build in dist/renderer.' : 'The renderer build failed and there is no earlier build: the UI will be missing.');
}

async function isFree(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function freePort(from) {
  for (let p = from; p < from + 50; p++) if (await isFree(p)) return p;
  return 0;
}

/** Runs a child to completion, passing Ctrl-C/SIGTERM on, and exits with its code. */
function runChild(cmd, argv, env = process.env) {
  const child = spawn(cmd, argv, { cwd: root, stdio: 'inherit', env });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function browserMode(why) {
  const wanted = Number(valueOf('--port') ?? DEFAULT_PORT);
  const port = await freePort(Number.isInteger(wanted) && wanted > 0 ? wanted : DEFAULT_PORT);
  say(`Electron runtime not available: ${why}. Serving the same UI in browser mode on http://127.0.0.1:${port} instead (sign-in link below).`);
  const passOn = [];
  const data = valueOf('--data');
  if (data) passOn.push('--data', data);
  runChild(process.execPath, [join(root, 'electron', 'cli', 'bin.mjs'), 'serve', '--port', String(port), ...passOn]);
}

function valueOf(flag) {
  const i = args.indexOf(flag);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(`${flag}=`));
  return eq?.slice(flag.length + 1);
}

async function main() {
  buildRenderer();
  const { findElectronBinary } = await import('../../build/electron-binary.mjs');
  const found = findElectronBinary();
  if (!found.path) return browserMode(found.reason);
  const { prepareElectronNative } = await import('../../build/electron-dev.mjs');
  const native = await prepareElectronNative(found.path, { log: say });
  if (native.error) return browserMode(native.error);
  const { buildElectron } = await import('../../build/build-electron.mjs');
  const { main: mainFile } = await buildElectron({ quiet: true });
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  if (native.dir) env.MARQUEE_ELECTRON_NATIVE_DIR = native.dir;
  runChild(found.path, [mainFile, ...args], env);
}

await main();
