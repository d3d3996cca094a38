import { workerData as parentData } from 'node:worker_threads';
import type { SqliteStore as Store } from './database.js';
import { WriterLane } from './writer-lane.js';
import { startWorker } from '../../threads/start-worker.js';
import type { GroupWorkerData } from './group-worker.js';

/**
 * Moves the store's hot writes (sells, holds, reservations) to a writer lane thread. Used by the
 * long-running box office (HTTP server, desktop core); short CLI runs and in-memory test stores
 * keep them on their own thread.
 */
export async function attachWriterLane(store: Store, onDeath?: (err: Error) => void): Promise<WriterLane> {
  // Started from the desktop's core host, the lane inherits its redirect to an Electron-built better-sqlite3.
  const nativeDir = (parentData as { nativeDir?: unknown } | null)?.nativeDir;
  const workerData: GroupWorkerData = {
    file: store.options.file,
    ...(typeof nativeDir === 'string' ? { nativeDir } : {}),
    synchronous: store.options.synchronous ?? 'FULL',
    ...(store.options.groupCommit ? { groupCommit: store.options.groupCommit } : {}),
  };
  const lane = await WriterLane.start(startWorker(new URL('./group-worker.ts', import.meta.url), { workerData, name: 'marquee-writer-lane' }), (l, err) => {
    store.detachLane(l);
    onDeath?.(err);
  });
  store.attachLane(lane);
  return lane;
}
