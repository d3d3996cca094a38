// Imported first by the worker entry, before anything loads the store. A worker thread has its own
// module loader, so the main thread's redirect (electron/app/dev-native-modules.ts) does not reach
// it: main passes the folder of a better-sqlite3 built for its runtime in workerData instead.
import Module from 'node:module';
import { join } from 'node:path';
import { workerData } from 'node:worker_threads';

const dir = (workerData as { nativeDir?: string } | null)?.nativeDir;
if (dir) {
  type Resolve = (request: string, ...rest: unknown[]) => string;
  const M = Module as unknown as { _resolveFilename: Resolve };
  const original = M._resolveFilename;
  M._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
    return original.call(this, request === 'better-sqlite3' ? join(dir, 'better-sqlite3') : request, ...rest);
  };
}
