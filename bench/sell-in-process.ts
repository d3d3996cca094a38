import { attachWriterLane } from '../electron/core/store/sqlite/lane.js';
import { openStore } from '../electron/core/store/sqlite/database.js';
import type { OpContext } from '../electron/core/services/context.js';
import { FULL_ACCESS, invoke } from '../electron/core/services/dispatch.js';
import { closedLoop, loopFigures } from './baselines.js';

export interface InProcessResult {
  label: string;
  concurrency: number;
  sales: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  groups: number;
  avgGroup: number;
  largestGroup: number;
  commitMsPerGroup: number;
  /** PRAGMA synchronous values seen at the commits of this run (2 = FULL). */
  synchronousSeen: number[];
  commits: number;
}

/**
 * The IPC path without Electron: invoke(ctx, caller, 'sellTicket', {id}) — permission check, zod
 * validation, handler, group commit — with `concurrency` sales in flight (clerks, or requests that
 * arrive while a group is on its way to disk), on a file store with synchronous=FULL.
 */
export async function inProcessSells(
  file: string,
  range: { from: number; to: number },
  seconds: number,
  concurrency: number,
  opts: { lane?: boolean } = {},
): Promise<InProcessResult> {
  const store = await openStore({ file });
  // The desktop core's setup: sells on the writer lane (a second thread), as marquee serve does.
  const lane = opts.lane === false ? null : await attachWriterLane(store);
  const stats = async () => (lane ? await lane.stats() : { ...store.group.stats });
  const ctx: OpContext = { store, channel: 'kiosk', version: 'bench' };
  const seen = new Set<number>();
  let commits = 0;
  store.onCommit = (info) => {
    commits++;
    seen.add(info.synchronous);
  };
  const before = await stats();
  const run = await closedLoop(range, seconds, concurrency, (id) => invoke(ctx, FULL_ACCESS, 'sellTicket', { id }));
  const s = await stats();
  const groups = s.groups - before.groups;
  const result: InProcessResult = {
    label: `in-process invoke('sellTicket'), group commit${lane ? ' on the writer lane' : ' on the calling thread'}, synchronous=FULL, ${concurrency} in flight`,
    concurrency,
    ...loopFigures(run),
    groups,
    avgGroup: groups > 0 ? (s.items - before.items) / groups : 0,
    largestGroup: s.largestGroup,
    commitMsPerGroup: groups > 0 ? (s.commitMs - before.commitMs) / groups : 0,
    synchronousSeen: [...seen],
    commits,
  };
  store.onCommit = null;
  await store.close();
  return result;
}
