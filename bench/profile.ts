/** Summarises a V8 CPU profile: self time by area of the stack, and the top functions. */
export interface ProfileSummary {
  totalMs: number;
  areas: { area: string; share: number }[];
  top: { fn: string; share: number }[];
  /** Marquee functions by inclusive time (themselves and everything they call). */
  marquee: { fn: string; share: number }[];
}

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const AREAS: [string, (fn: string, url: string) => boolean][] = [
  ['idle (waiting for the network)', (fn) => fn === '(idle)'],
  // the inspector session that takes this very profile (serialising it on stop)
  ['profiler overhead (inspector)', (fn, url) => url === '' && fn === 'dispatch'],
  ['garbage collection', (fn) => fn === '(garbage collector)'],
  ['SQLite: compiling statements (db.prepare)', (fn, url) => (url === '' && fn === 'Statement') || url.includes('better-sqlite3/lib/methods/wrappers')],
  ['Kysely query building', (_fn, url) => url.includes('/kysely/')],
  ['SQLite: statements and COMMIT/fsync (native, via better-sqlite3)', (fn, url) => url === '' && ['run', 'get', 'all', 'exec', 'pragma', 'iterate'].includes(fn)],
  ['Marquee: sell logic and group commit', (_fn, url) => /electron\/core\/(services|store)\//.test(url)],
  ['Marquee: HTTP route glue (auth, coerce, dispatch)', (_fn, url) => /electron\/core\/http\//.test(url)],
  ['zod validation', (_fn, url) => url.includes('/zod/')],
  ['Fastify (router, hooks, reply)', (_fn, url) => /\/(fastify|find-my-way|light-my-request|avvio|fast-json-stringify|@fastify|secure-json-parse|fast-querystring|toad-cache|abstract-logging|pino)/.test(url)],
  ['Node HTTP, sockets, streams', (_fn, url) => /^node:(internal\/)?(http|_http|net|stream|internal\/streams|internal\/http|events|internal\/stream_base)/.test(url) || url.startsWith('node:_http')],
  ['other Node internals (timers, promises, async hooks)', (_fn, url) => url.startsWith('node:')],
  ['native, other (parser, writev, crypto)', (_fn, url) => url === ''],
];

export function summariseProfile(profile: { nodes: Node[]; samples: number[]; timeDeltas: number[] }): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const area = new Map<string, number>();
  const fns = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const label = (n: Node) => {
    const { functionName, url, lineNumber } = n.callFrame;
    const where = url ? `${url.replace(/^file:\/\/.*?\/(node_modules\/)?/, '').replace(/^.*\/work\/main\//, '')}:${lineNumber + 1}` : 'native';
    return `${functionName || '(anonymous)'} (${where})`;
  };
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i]!);
    if (!n) continue;
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const { functionName, url } = n.callFrame;
    const fn = functionName || '(anonymous)';
    const a = AREAS.find(([, test]) => test(fn, url))?.[0] ?? 'other JavaScript';
    area.set(a, (area.get(a) ?? 0) + dt);
    const key = label(n);
    fns.set(key, (fns.get(key) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!;
      if (!/\/(electron\/core|shared)\//.test(frame.callFrame.url) || frame.callFrame.functionName === '') continue;
      const k = label(frame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  }
  const share = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => ({ k, share: total > 0 ? v / total : 0 }));
  return {
    totalMs: total / 1000,
    areas: share(area, 20).map(({ k, share: s }) => ({ area: k, share: s })),
    top: share(fns, 15).map(({ k, share: s }) => ({ fn: k, share: s })),
    marquee: share(inclusive, 15).map(({ k, share: s }) => ({ fn: k, share: s })),
  };
}
