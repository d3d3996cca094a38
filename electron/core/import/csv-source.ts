import { createHash, type Hash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { AppError } from '../../../shared/errors.js';
import { badCharacterAt } from '../../../shared/schemas/text-guard.js';

/** Where the CSV comes from: text already in memory (HTTP body), bytes (stream, file) or a file path. */
export type CsvSource =
  | { text: string }
  | { bytes: AsyncIterable<Uint8Array | string> | Uint8Array; totalBytes?: number }
  | { file: string };

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

/** Text pieces small enough that parsing one never blocks the event loop for long. */
export const TEXT_PIECE = 64 * 1024;

export interface SourceStats {
  bytesRead: number;
  totalBytes: number | null;
  encoding: TextEncodingName;
  hash: Hash;
}

/**
 * The file's sha256 when it is already in memory (text is hashed as its UTF-8 bytes, so an upload
 * and the same file on disk match); null for streams, which are hashed as they are read. Hashed a
 * few MB at a time so a large body never holds the event loop.
 */
export async function sha256Of(source: CsvSource): Promise<string | null> {
  const hash = createHash('sha256');
  const step = 4 * 1024 * 1024;
  if ('text' in source) {
    for (let i = 0; i < source.text.length; i += step) {
      hash.update(source.text.slice(i, i + step), 'utf8');
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return hash.digest('hex');
  }
  if ('bytes' in source && source.bytes instanceof Uint8Array) {
    for (let i = 0; i < source.bytes.byteLength; i += step) {
      hash.update(source.bytes.subarray(i, i + step));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return hash.digest('hex');
  }
  return null;
}

/** Hashes a file before the import starts, so a re-import is refused before any work (streams, never whole). */
export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function totalBytesOf(source: CsvSource): number | null {
  if ('text' in source) return Buffer.byteLength(source.text, 'utf8');
  if ('file' in source) return statSync(source.file).size;
  if (source.bytes instanceof Uint8Array) return source.bytes.byteLength;
  return source.totalBytes ?? null;
}

const encodingError = (message: string, details: Record<string, unknown>) =>
  new AppError('VALIDATION_FAILED', message, { reason: 'encoding', ...details });

/** Index of the first byte that breaks UTF-8 (overlongs and surrogates included), or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= b.length) return i;
    let cp = c & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const n = b[i + k]!;
      if ((n & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (n & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Where a multi-byte character cut off by the end of the chunk starts (the chunk's length if none). */
function incompleteTailStart(b: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, b.length); back++) {
    const c = b[b.length - back]!;
    if ((c & 0xc0) === 0x80) continue;
    const len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return len > back ? b.length - back : b.length;
  }
  return b.length;
}

function countLineBreaks(b: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) {
    if (b[i] === 10 || (b[i] === 13 && b[i + 1] !== 10)) n++;
  }
  return n;
}

async function* byteChunks(source: CsvSource): AsyncGenerator<Uint8Array> {
  if ('file' in source) {
    for await (const chunk of createReadStream(source.file, { highWaterMark: TEXT_PIECE })) yield chunk as Buffer;
    return;
  }
  if ('text' in source) throw new Error('text sources are not decoded');
  if (source.bytes instanceof Uint8Array) {
    for (let i = 0; i < source.bytes.byteLength; i += TEXT_PIECE) yield source.bytes.subarray(i, i + TEXT_PIECE);
    return;
  }
  for await (const chunk of source.bytes) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    for (let i = 0; i < buf.byteLength; i += TEXT_PIECE) yield buf.subarray(i, i + TEXT_PIECE);
  }
}

/**
 * Decoded text pieces of the source. UTF-8 (BOM or not) and UTF-16 with a BOM are read; anything
 * else (Latin-1, UTF-16 without BOM, binary) is refused with the line where it went wrong, because
 * guessing would silently change section names.
 */
export async function* textPieces(source: CsvSource, stats: SourceStats): AsyncGenerator<string> {
  if ('text' in source) {
    // Already hashed up front (sha256Of), like in-memory bytes.
    const text = source.text;
    const bad = text.indexOf('\uFFFD');
    if (bad >= 0) {
      throw encodingError('The file is not valid UTF-8 text (it contains the replacement character �). Save it as "CSV UTF-8" and try again.', {
        line: lineOfOffset(text, bad),
      });
    }
    // Text handed over already decoded (an HTTP text/csv body, an IPC call) gets the checks the byte reader makes.
    const broken = badCharacterAt(text);
    if (broken?.kind === 'nul') checkText(text, 0);
    if (broken) throw encodingError('The file holds half of a character (a lone UTF-16 surrogate): it is not valid Unicode text.', { line: lineOfOffset(text, broken.index) });
    for (let i = 0; i < text.length; i += TEXT_PIECE) {
      stats.bytesRead += Buffer.byteLength(text.slice(i, i + TEXT_PIECE), 'utf8');
      yield text.slice(i, i + TEXT_PIECE);
    }
    return;
  }
  let decided = false;
  let utf16: TextDecoder | null = null;
  let lines = 0;
  let carry: Uint8Array = new Uint8Array(0);
  let consumed = 0; // stream offset of the first byte of `buf`
  for await (const raw of byteChunks(source)) {
    stats.hash.update(raw);
    stats.bytesRead += raw.byteLength;
    let buf: Uint8Array = carry.byteLength > 0 ? Buffer.concat([carry, raw]) : raw;
    if (!decided) {
      // The byte-order mark may straddle tiny chunks: wait for three bytes before deciding.
      if (buf.byteLength < 3) {
        carry = Uint8Array.from(buf);
        continue;
      }
      decided = true;
      if (buf[0] === 0xff && buf[1] === 0xfe) stats.encoding = 'utf-16le';
      else if (buf[0] === 0xfe && buf[1] === 0xff) stats.encoding = 'utf-16be';
      else {
        stats.encoding = 'utf-8';
        looksLikeUtf16WithoutBom(buf);
        looksBinary(buf);
      }
      if (stats.encoding !== 'utf-8') utf16 = new TextDecoder(stats.encoding, { fatal: true });
    }
    if (utf16) {
      carry = new Uint8Array(0);
      const text = checkText(decodeUtf16(utf16, buf, true, lines), lines);
      lines += lineOfOffset(text, text.length) - 1;
      yield text;
      continue;
    }
    const cut = incompleteTailStart(buf);
    carry = Uint8Array.from(buf.subarray(cut));
    buf = buf.subarray(0, cut);
    const bad = firstInvalidUtf8(buf);
    if (bad >= 0) throw notUtf8(buf, bad, lines, consumed + bad);
    const text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8');
    const checked = checkText(text, lines);
    lines += countLineBreaks(buf, buf.byteLength);
    consumed += cut;
    yield checked;
  }
  if (utf16) {
    const tail = decodeUtf16(utf16, new Uint8Array(0), false, lines);
    if (tail) yield checkText(tail, lines);
    return;
  }
  if (carry.byteLength > 0) {
    if (!decided) {
      looksLikeUtf16WithoutBom(carry);
      looksBinary(carry);
    }
    const bad = firstInvalidUtf8(carry);
    if (bad >= 0) throw notUtf8(carry, bad, lines, consumed + bad);
    yield checkText(Buffer.from(carry).toString('utf8'), lines);
  }
}

function decodeUtf16(decoder: TextDecoder, buf: Uint8Array, stream: boolean, lines: number): string {
  try {
    return decoder.decode(buf, { stream });
  } catch {
    throw encodingError('The file is not valid UTF-16 text (a broken character, or the file is cut short).', { line: lines + 1 });
  }
}

function notUtf8(chunk: Uint8Array, bad: number, linesBefore: number, byteOffset: number) {
  const line = linesBefore + countLineBreaks(chunk, bad) + 1;
  const byte = chunk[bad]!;
  const latin = byte >= 0xa0 ? ` (0x${byte.toString(16).toUpperCase()} is "${String.fromCharCode(byte)}" in Latin-1: the file is probably Latin-1 or Windows-1252)` : '';
  return encodingError(`The file is not UTF-8 text: line ${line} has the byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')}${latin}. Save it as "CSV UTF-8" and try again.`, {
    line,
    byteOffset,
  });
}

function looksLikeUtf16WithoutBom(b: Uint8Array) {
  const n = Math.min(b.byteLength, 512);
  let zeros = 0;
  for (let i = 0; i < n; i++) if (b[i] === 0) zeros++;
  if (zeros * 4 >= n) {
    throw encodingError('The file looks like UTF-16 text without a byte-order mark, or binary data. Save it as "CSV UTF-8" and try again.', { line: 1 });
  }
}

/** Control characters other than tab/CR/LF in the first bytes: an image, a zip, an .xlsx… not text. */
function looksBinary(b: Uint8Array) {
  const n = Math.min(b.byteLength, 4096);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 0 || (c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127) control++;
  }
  if (control > 0 && control * 50 >= n) {
    throw encodingError('The file is binary data (an image, a spreadsheet, an archive…), not CSV text. Export the sheet as "CSV UTF-8" and try again.', { line: 1 });
  }
}

function checkText(text: string, linesBefore: number): string {
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    throw encodingError('The file contains NUL characters: it is binary data, not CSV text.', { line: linesBefore + lineOfOffset(text, nul) });
  }
  return text;
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
  }
  return line;
}
