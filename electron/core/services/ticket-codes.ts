import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed ticket codes (issue 13): what a printed or e-mailed ticket carries and the door scans.
 *
 * A code is Crockford base32 of `version ‖ varint(ticketId) ‖ varint(eventId) ‖ varint(saleId) ‖ mac`,
 * mac = the first 10 bytes (80 bits) of HMAC-SHA256(store secret, domain ‖ the bytes before it).
 * Without the secret a code cannot be made or changed into another ticket's; from one code nothing
 * about another follows. saleId is the order line (order_items.id): a ticket refunded and sold again
 * gets a new code, and the refunded buyer's stops working.
 *
 * The canonical form is upper case without separators (QR alphanumeric mode, a keyboard-wedge scanner);
 * formatTicketCode groups it by four for people. verifyTicketCode takes either, any case, with or
 * without dashes or spaces, and Crockford's look-alikes (O→0, I/L→1).
 */

export interface TicketCodeFields {
  ticketId: number;
  eventId: number;
  /** The order line the ticket was sold on (order_items.id). */
  saleId: number;
}

export type TicketCodeCheck =
  | ({ ok: true } & TicketCodeFields)
  /** malformed: not a code at all (typo, wrong barcode); forged: well formed, signature wrong (tampered, another store's). */
  | { ok: false; reason: 'malformed' | 'forged' };

const VERSION = 1;
const MAC_BYTES = 10;
const DOMAIN = Buffer.from('marquee ticket code v1\0');
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const VALUE = new Map<string, number>([...ALPHABET].map((c, i) => [c, i]));
for (const [alias, c] of [['O', '0'], ['I', '1'], ['L', '1']] as const) VALUE.set(alias, VALUE.get(c)!);
/** Longest code: a version byte, three 8-byte varints, the mac. */
const MAX_CHARS = Math.ceil(((1 + 3 * 8 + MAC_BYTES) * 8) / 5);

function secretBytes(secret: string | Uint8Array): Buffer {
  const key = typeof secret === 'string' ? Buffer.from(secret, 'base64url') : Buffer.from(secret);
  if (key.length < 16) throw new Error('ticket code secret is shorter than 128 bits');
  return key;
}

function mac(key: Buffer, body: Buffer): Buffer {
  return createHmac('sha256', key).update(DOMAIN).update(body).digest().subarray(0, MAC_BYTES);
}

function pushVarint(out: number[], n: number): void {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`ticket code field must be a positive integer, got ${n}`);
  let v = BigInt(n);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
}

/** Reads a minimal varint at `at`; null if it runs out, is not minimal, or is not a safe positive integer. */
function readVarint(buf: Buffer, at: number): { value: number; next: number } | null {
  let v = 0n;
  let shift = 0n;
  for (let i = at; i < buf.length && i < at + 8; i++) {
    const b = buf[i]!;
    v |= BigInt(b & 0x7f) << shift;
    shift += 7n;
    if ((b & 0x80) === 0) {
      if (b === 0 && i > at) return null;
      if (v < 1n || v > BigInt(Number.MAX_SAFE_INTEGER)) return null;
      return { value: Number(v), next: i + 1 };
    }
  }
  return null;
}

function toBase32(bytes: Buffer): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

/** Null unless every character is base32 and the padding bits are zero (one spelling per code). */
function fromBase32(text: string): Buffer | null {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of text) {
    const v = VALUE.get(ch);
    if (v === undefined) return null;
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((acc >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits >= 5 || acc !== 0) return null;
  return Buffer.from(out);
}

/** The code of one sold ticket, canonical form (upper-case Crockford base32, no separators). */
export function signTicketCode(secret: string | Uint8Array, fields: TicketCodeFields): string {
  const body: number[] = [VERSION];
  pushVarint(body, fields.ticketId);
  pushVarint(body, fields.eventId);
  pushVarint(body, fields.saleId);
  const bytes = Buffer.from(body);
  return toBase32(Buffer.concat([bytes, mac(secretBytes(secret), bytes)]));
}

/** What a scanner or a person typed, reduced to the canonical spelling (upper case, no dashes or spaces). */
export function normaliseTicketCode(input: string): string {
  return input.replace(/[\s-]+/g, '').toUpperCase();
}

/** For people: groups of four, e.g. 0J4M-8Q2Z-…; verifyTicketCode accepts it as typed. */
export function formatTicketCode(code: string): string {
  return (normaliseTicketCode(code).match(/.{1,4}/g) ?? []).join('-');
}

export function verifyTicketCode(secret: string | Uint8Array, code: string): TicketCodeCheck {
  const text = normaliseTicketCode(code);
  if (text.length === 0 || text.length > MAX_CHARS) return { ok: false, reason: 'malformed' };
  const bytes = fromBase32(text);
  if (!bytes || bytes.length < 4 + MAC_BYTES || bytes[0] !== VERSION) return { ok: false, reason: 'malformed' };
  const ticket = readVarint(bytes, 1);
  const event = ticket && readVarint(bytes, ticket.next);
  const sale = event && readVarint(bytes, event.next);
  if (!ticket || !event || !sale || bytes.length - sale.next !== MAC_BYTES) return { ok: false, reason: 'malformed' };
  const body = bytes.subarray(0, sale.next);
  if (!timingSafeEqual(mac(secretBytes(secret), body), bytes.subarray(sale.next))) return { ok: false, reason: 'forged' };
  return { ok: true, ticketId: ticket.value, eventId: event.value, saleId: sale.value };
}
