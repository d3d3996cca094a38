import { randomInt } from 'node:crypto';

// Crockford base32 without I, L, O, U: easy to read aloud and to type at a counter.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** "MQ-7K3F-9QX2": 40 random bits, unique by constraint (a clash is retried by the caller). */
export function newOrderCode(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `MQ-${s.slice(0, 4)}-${s.slice(4)}`;
}
