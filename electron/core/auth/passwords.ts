import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords and PINs: scrypt (memory-hard) with a per-user random salt. The parameters are stored
 * with each hash (scrypt$N$r$p$salt$hash) so they can be raised later without breaking old hashes.
 * N=2^15, r=8: 32 MiB and roughly 0.1 s per guess on a kiosk CPU, which also bounds how fast anyone
 * holding a copy of the database can try PINs (the short ones are throttled online, see throttle.ts).
 */
export const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLen: 32 } as const;

function scrypt(secret: string, salt: Buffer, keyLen: number, o: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(secret.normalize('NFC'), salt, keyLen, o, (err, key) => (err ? reject(err) : resolve(key))));
}

const maxmem = (N: number, r: number) => 128 * N * r * 2;

export async function hashSecret(secret: string, params: { N: number; r: number; p: number } = SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(secret, salt, SCRYPT.keyLen, { N: params.N, r: params.r, p: params.p, maxmem: maxmem(params.N, params.r) });
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifySecret(secret: string, stored: string | null): Promise<boolean> {
  // Without a hash we still spend the same work, so "no such user" and "wrong password" take equally long.
  const parts = (stored ?? DUMMY).split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (!(N > 1 && r > 0 && p > 0) || expected.length === 0) return false;
  const key = await scrypt(secret, salt, expected.length, { N, r, p, maxmem: maxmem(N, r) });
  return stored !== null && timingSafeEqual(key, expected);
}

const DUMMY = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(32).toString('base64url')}`;

/** A one-time password for a new admin: 20 characters from an alphabet without look-alikes. */
export function newPassword(length = 20): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
