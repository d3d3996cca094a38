// First: in the desktop app's development mode, better-sqlite3 must resolve to the copy built for Electron.
import '../../host/native-modules.js';
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { configure } from './database.js';
import { GroupCommitter, type GroupCommitOptions } from './group-commit.js';
import { toWire, type LaneReply, type LaneRequest } from './writer-lane.js';
import { runTask } from './tasks.js';

/**
 * The writer lane's thread (see store/writer-lane.ts): one writer connection to the store's file,
 * the same pragmas and the same group committer as the store's own writer, running the tasks of
 * services/group-tasks.ts. While a group commits (fsync) here, messages queue up in the port and
 * become the next group.
 */
export interface GroupWorkerData {
  file: string;
  /** Where a better-sqlite3 built for this runtime lives (desktop development), as for the core host. */
  nativeDir?: string;
  synchronous: 'FULL' | 'NORMAL';
  groupCommit?: Omit<GroupCommitOptions, 'requiredSynchronous'>;
}

const port = parentPort!;
const post = (m: LaneReply) => port.postMessage(m);
const init = workerData as GroupWorkerData;

let db: SQLite.Database;
let committer: GroupCommitter;
try {
  db = new SQLite(init.file);
  configure(db, init.synchronous, false, 'writer');
  // Tasks keep no state outside the database (their audit entry is written inside them), so a group can
  // run without a SAVEPOINT per item and replay with savepoints only when an item fails after writing.
  // Groups of at most 64, below the 80 requests an on-sale rush keeps in flight: those then split into
  // two groups that alternate (the serving thread prepares one while the lane writes the other)
  // instead of one group of 80 with both threads taking turns to idle. In-process bench, 80 in
  // flight: 7.3k–7.9k sales/s with caps of 32–64, 7.0k–7.3k uncapped (groups of 80); a noisy machine.
  committer = new GroupCommitter(db, (flush) => flush(), {
    savepoints: 'when-needed',
    maxBatch: 64,
    ...init.groupCommit,
    requiredSynchronous: init.synchronous === 'FULL' ? 2 : 1,
  });
} catch (err) {
  post({ t: 'failed', message: String((err as Error).message ?? err) });
  throw err;
}

// Answers leave in one message per turn of the loop, i.e. per group.
let results: Extract<LaneReply, { t: 'done' }>['results'] = [];
let answerScheduled = false;
const answer = () => {
  answerScheduled = false;
  if (results.length === 0) return;
  post({ t: 'done', results });
  results = [];
};
const settle = (r: (typeof results)[number]) => {
  results.push(r);
  if (!answerScheduled) {
    answerScheduled = true;
    queueMicrotask(answer);
  }
};

port.on('message', (m: LaneRequest) => {
  if (m.t === 'items') {
    for (const item of m.items) {
      committer.enqueue(
        (conn) => runTask(conn, item.name, item.args),
        (value) => settle({ id: item.id, ok: true, value }),
        (err: unknown) => settle({ id: item.id, ok: false, error: toWire(err) }),
      );
    }
  } else if (m.t === 'observe') {
    committer.onCommit = m.on ? (info) => post({ t: 'commit', info }) : null;
  } else if (m.t === 'stats') {
    post({ t: 'stats', id: m.id, stats: { ...committer.stats } });
  } else if (m.t === 'close') {
    committer.drain();
    // The drained groups' answers are settled in microtasks; send them before the thread ends.
    setImmediate(() => {
      answer();
      db.close();
      post({ t: 'closed' });
      port.close();
    });
  }
});

post({ t: 'ready' });
