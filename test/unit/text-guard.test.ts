import { describe, expect, it } from 'vitest';
import { badCharacterAt, findBadText } from '../../shared/schemas/text-guard.js';

describe('findBadText', () => {
  it('finds a NUL or a lone surrogate anywhere in plain objects and arrays, with its dotted path', () => {
    expect(findBadText({ a: 'ok', b: { c: ['x', 'y\u0000'] } })).toEqual({ path: 'b.c.1', message: 'must not contain a NUL character (U+0000)' });
    expect(findBadText({ name: 'x\uDBFF' })).toEqual({ path: 'name', message: 'must be well-formed Unicode text (it holds a lone surrogate)' });
    expect(findBadText(['\uDC00'])).toMatchObject({ path: '0' });
    expect(findBadText('\u0000')).toMatchObject({ path: '' });
    expect(findBadText({ seats: { 'A\u00001': 2 } })).toEqual({ path: 'seats.A\u00001', message: 'its field name must not contain a NUL character (U+0000)' });
  });

  it('accepts well-formed text, surrogate pairs and other control characters, and everything that is not text', () => {
    expect(findBadText({ name: 'Théâtre 🎭 𝄞', notes: 'tab\there\r\nline', n: 3, t: true, z: null, u: undefined, list: [1, 'two'] })).toBeNull();
    expect(findBadText(undefined)).toBeNull();
  });

  it('does not walk what is not a plain object (a stream, a buffer, a date) nor the fields named to skip', () => {
    class Stream {
      text = '\u0000';
    }
    expect(findBadText({ body: new Stream(), bytes: Buffer.from([0]), at: new Date(0) })).toBeNull();
    expect(findBadText({ csv: 'a\u0000b', fileName: 'ok.csv' }, ['csv'])).toBeNull();
    expect(findBadText({ csv: 'ok', fileName: 'a\u0000.csv' }, ['csv'])).toMatchObject({ path: 'fileName' });
    // Only top-level fields are skipped: a nested field of the same name is still text to check.
    expect(findBadText({ meta: { csv: '\u0000' } }, ['csv'])).toMatchObject({ path: 'meta.csv' });
    expect(findBadText(Object.assign(Object.create(null) as object, { x: '\u0000' }))).toMatchObject({ path: 'x' });
  });

  it('badCharacterAt gives the index and kind of the first one', () => {
    expect(badCharacterAt('abc')).toBeNull();
    expect(badCharacterAt('ab\u0000c\uD800')).toEqual({ index: 2, kind: 'nul' });
    expect(badCharacterAt('a\uD83C\uDFADb\uD800')).toEqual({ index: 4, kind: 'lone-surrogate' });
    expect(badCharacterAt('\uDFAD')).toEqual({ index: 0, kind: 'lone-surrogate' });
  });
});
