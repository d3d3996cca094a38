// Development only (`npm start` with a real Electron): the project's better-sqlite3 is built for
// Node so that the tests run; start.mjs keeps a copy rebuilt for Electron elsewhere and names it in
// MARQUEE_ELECTRON_NATIVE_DIR. This must run before anything loads the store, so main.ts imports
// it first. Packaged apps carry their own rebuilt copy and ignore the variable.
import Module from 'node:module';
import { join } from 'node:path';
import { app } from 'electron';

const dir = process.env.MARQUEE_ELECTRON_NATIVE_DIR;
if (dir && !app.isPackaged) {
  type Resolve = (request: string, ...rest: unknown[]) => string;
  const M = Module as unknown as { _resolveFilename: Resolve };
  const original = M._resolveFilename;
  M._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
    return original.call(this, request === 'better-sqlite3' ? join(dir, 'better-sqlite3') : request, ...rest);
  };
}
