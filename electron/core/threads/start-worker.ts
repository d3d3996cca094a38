import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread from a TypeScript module given by URL (`new URL('./x.ts', import.meta.url)`).
 * A bundle ships the worker as x.cjs beside it (build/build-electron.mjs): that file wins when present.
 * From sources (tests, CLI, bench) the .ts runs through tsx, registered inside the worker, because a
 * worker does not inherit the parent's programmatic loader hooks.
 */
export function startWorker(entry: URL, options: WorkerOptions = {}): Worker {
  const path = fileURLToPath(entry);
  const bundled = path.replace(/\.ts$/, '.cjs');
  if (bundled !== path && existsSync(bundled)) return new Worker(bundled, options);
  if (!path.endsWith('.ts')) return new Worker(path, options);
  const bootstrap = new URL('./ts-worker-bootstrap.mjs', import.meta.url);
  const workerData = { ...(options.workerData as Record<string, unknown> | undefined), __tsEntry: entry.href };
  return new Worker(bootstrap, { ...options, workerData });
}
