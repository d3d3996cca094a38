import fc from 'fast-check';

/**
 * FUZZ_SEED replays a failure (fc.assert prints the seed and the path of the shrunk case);
 * FUZZ_RUNS scales every property (1 = the default counts, 10 = ten times as many cases).
 */
export const FUZZ_SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
export const FUZZ_SCALE = Math.max(0.05, Number(process.env.FUZZ_RUNS ?? 1) || 1);

export function params(runs: number): fc.Parameters<unknown> {
  return {
    numRuns: Math.max(1, Math.round(runs * FUZZ_SCALE)),
    ...(FUZZ_SEED === undefined ? {} : { seed: FUZZ_SEED }),
    // Each case is a real request against a real store: shrinking stays short.
    endOnFailure: false,
    interruptAfterTimeLimit: undefined,
  };
}

/**
 * What no response may contain: a stack frame, an engine error, SQL. Shaped on what leaks look like
 * (a frame names a file, Kysely writes lower-case SQL with quoted names, hand-written SQL is upper
 * case), not on words: prose such as "Best seat quality (0.95 of 1)" or "select a seat" is not a leak.
 */
export const LEAK = new RegExp(
  [
    String.raw`\bat (?:async )?[\w$.<>\[\]]+ \((?:node:|file:|/|[A-Za-z]:\\)`, // at fn (/path/file.js:1:2)
    String.raw`\\n\s*at [^\s]`, // a stack, its newlines escaped in JSON
    String.raw`\b(?:SELECT|INSERT INTO|UPDATE|DELETE FROM) `,
    String.raw`\b(?:select|insert into|update|delete from) "`,
    'SQLITE_',
    '[Ss]yntax error',
    'node_modules',
    String.raw`\.[cm]?[jt]s:\d+`,
  ].join('|'),
);

/** Own keys of the prototypes a pollution would show on. */
export function prototypeKeys(): string[] {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].flatMap((p) => Reflect.ownKeys(p).map(String)).sort();
}
