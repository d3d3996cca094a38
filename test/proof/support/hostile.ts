import fc from 'fast-check';

export const MEGABYTE_STRING = 'x'.repeat(1024 * 1024);

/** Text a careless parser, database or renderer trips on. */
export const hostileStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  'x\uDC00y\uD83D',
  '\u202Eevil\u202C', // right-to-left override
  'שלום עולם',
  'مرحبا',
  '\u200B\u200C\u200D\uFEFF', // zero-width
  '👨‍👩‍👧‍👦🎟️🏳️‍🌈',
  'e\u0301\u0301\u0301',
  "'; DROP TABLE tickets; --",
  '" OR 1=1 --',
  '%s%n%x',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  '__proto__',
  'constructor',
  'prototype',
  '1e309',
  '-0',
  'NaN',
  '0x10',
  '  42  ',
  'true',
  'null',
  '\r\n\t\v\f',
  MEGABYTE_STRING,
];

/** Numbers at and past every edge: huge, negative and fractional cents, not-a-number. */
export const hostileNumbers = [
  0,
  -0,
  -1,
  0.5,
  1.005,
  -0.01,
  0.1 + 0.2,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31),
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  Number.MAX_SAFE_INTEGER,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e308,
  -1e308,
  1e21,
];

/** A JSON-cloneable object nested `depth` levels deep (arrays or objects). */
export function deep(depth: number, kind: 'array' | 'object'): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
}

/** Objects whose own keys are the prototype's names (as JSON.parse would build them). */
export const pollutionObjects: unknown[] = [
  JSON.parse('{"__proto__":{"polluted":"yes","isAdmin":true}}'),
  JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}'),
  JSON.parse('{"prototype":{"polluted":"yes"}}'),
  JSON.parse('{"__proto__":{"__proto__":{"polluted":"yes"}}}'),
];

export const hostileJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 3, arbitrary: fc.constantFrom(...hostileNumbers) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], [1, 'a'], { '': 1 }) },
  { weight: 1, arbitrary: fc.constantFrom(...pollutionObjects) },
  { weight: 1, arbitrary: fc.constantFrom(deep(64, 'array'), deep(64, 'object'), deep(2000, 'array'), deep(2000, 'object')) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
);

/** Values only a structured clone carries (IPC): not JSON at all. */
export const hostileCloneValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileJsonValue,
  fc.constantFrom<unknown>(
    undefined,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    10n ** 30n,
    -1n,
    new Date('invalid'),
    new Date(0),
    new Map([['id', 1]]),
    new Set([1, 2]),
    /x/g,
    new Uint8Array([0xff, 0xfe]),
    new ArrayBuffer(8),
    Object.create(null) as unknown,
    Object.assign(Object.create(null) as object, { id: 1 }),
    // eslint-disable-next-line no-sparse-arrays
    [1, , 3],
    new Error('an error as input'),
  ),
);

type Path = (string | number)[];

function paths(v: unknown, prefix: Path = [], out: Path[] = [], depth = 0): Path[] {
  out.push(prefix);
  if (depth > 4 || v === null || typeof v !== 'object') return out;
  for (const [k, child] of Object.entries(v)) paths(child, [...prefix, Array.isArray(v) ? Number(k) : k], out, depth + 1);
  return out;
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = (Array.isArray(root) ? [...(root as unknown[])] : { ...(root as object) }) as Record<string | number, unknown>;
  const [head, ...rest] = path;
  // defineProperty, not assignment: a key named __proto__ stays an own key instead of swapping the prototype.
  Object.defineProperty(copy, head!, { value: setAt(copy[head!], rest, value), enumerable: true, writable: true, configurable: true });
  return copy;
}

function removeAt(root: unknown, path: Path): unknown {
  if (path.length === 0) return undefined;
  if (path.length === 1) {
    if (Array.isArray(root)) return root.filter((_, i) => i !== path[0]);
    const copy = { ...(root as Record<string, unknown>) };
    delete copy[path[0] as string];
    return copy;
  }
  const [head, ...rest] = path;
  const copy = (Array.isArray(root) ? [...(root as unknown[])] : { ...(root as object) }) as Record<string | number, unknown>;
  Object.defineProperty(copy, head!, { value: removeAt(copy[head!], rest), enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A key a prototype-walking merge would follow, added as an own key. */
function withOwnKey(root: unknown, key: string, value: unknown): unknown {
  if (root === null || typeof root !== 'object' || Array.isArray(root)) return root;
  const copy = { ...(root as object) };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/**
 * One hostile edit of a well-formed input: a field replaced by a hostile value, dropped, or joined by an
 * unknown or prototype-named key; or the whole input replaced.
 */
export function mutate(valid: fc.Arbitrary<Record<string, unknown>>, hostile: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.nat(), hostile, fc.constantFrom('replace', 'replace', 'replace', 'remove', 'proto', 'constructor', 'prototype', 'extra', 'whole'))
    .map(([v, pick, bad, how]) => {
      const ps = paths(v);
      const path = ps[pick % ps.length]!;
      switch (how) {
        case 'replace':
          return setAt(v, path, bad);
        case 'remove':
          return removeAt(v, path);
        case 'proto':
          return withOwnKey(v, '__proto__', { polluted: 'yes', isAdmin: true });
        case 'constructor':
          return withOwnKey(v, 'constructor', { prototype: { polluted: 'yes' } });
        case 'prototype':
          return withOwnKey(v, 'prototype', { polluted: 'yes' });
        case 'extra':
          return withOwnKey(v, 'unexpected', bad);
        default:
          return bad;
      }
    });
}
