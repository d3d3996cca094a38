/**
 * Text that neither engine stores faithfully is refused at the door rather than by whichever engine
 * happens to be underneath. PostgreSQL text cannot hold U+0000 at all (22021), while SQLite stores it
 * but its length() and trim() stop there, so the same venue name was a CHECK violation on one engine,
 * a data error on the other, and, in a column without a CHECK, a row that `migrate-store` could not
 * move. A lone UTF-16 surrogate becomes U+FFFD on its way into either engine: a silent change of
 * what the caller sent. No keyboard, scanner or CSV export produces either.
 */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const BAD_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface BadText {
  /** Dotted path of the field, as in validation errors (`customer.city`, `items.2.name`). */
  path: string;
  message: string;
}

/** Where the first character the store could not keep is, and which kind it is; null when there is none. */
export function badCharacterAt(s: string): { index: number; kind: 'nul' | 'lone-surrogate' } | null {
  const m = BAD_TEXT.exec(s);
  return m ? { index: m.index, kind: m[0] === '\u0000' ? 'nul' : 'lone-surrogate' } : null;
}

function problem(s: string): string | null {
  const bad = badCharacterAt(s);
  if (!bad) return null;
  return bad.kind === 'nul' ? 'must not contain a NUL character (U+0000)' : 'must be well-formed Unicode text (it holds a lone surrogate)';
}

/**
 * The first string in a parsed input (plain objects and arrays, walked depth first) that the store
 * could not keep as sent, or null. `skip` names top-level fields checked elsewhere (an
 * operation's ownTextCheck: a CSV file, refused with its line number by the import's reader). Other objects (streams, buffers) are
 * not walked: they are not text.
 */
export function findBadText(value: unknown, skip: readonly string[] = []): BadText | null {
  return walk(value, [], skip);
}

function walk(value: unknown, path: (string | number)[], skip: readonly string[]): BadText | null {
  if (typeof value === 'string') {
    const message = problem(value);
    return message === null ? null : { path: path.join('.'), message };
  }
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], [...path, i], skip);
      if (found) return found;
    }
    return null;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return null;
  for (const key of Object.keys(value)) {
    if (path.length === 0 && skip.includes(key)) continue;
    // A key is text the store may keep too (a seat map's labels, a report's grouping).
    const keyProblem = problem(key);
    if (keyProblem !== null) return { path: [...path, key].join('.'), message: `its field name ${keyProblem}` };
    const found = walk((value as Record<string, unknown>)[key], [...path, key], skip);
    if (found) return found;
  }
  return null;
}
