import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison: both sides are hashed first so their lengths never leak either. */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export const newSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');

/**
 * Browser mode signs in as Jupyter does: the server prints a one-time URL; following it trades the
 * code for an HttpOnly, SameSite=Strict session cookie, so the API token never reaches page code.
 */
export class BrowserSessions {
  private readonly codes = new Set<string>();
  private readonly sessions = new Map<string, number>();

  constructor(private readonly ttlMs = 12 * 60 * 60 * 1000) {}

  newLoginCode(): string {
    const code = newSecret(24);
    this.codes.add(code);
    return code;
  }

  /** Returns a session id, or null if the code is unknown or was already used. */
  redeem(code: string): string | null {
    for (const c of this.codes) {
      if (safeEqual(c, code)) {
        this.codes.delete(c);
        const sid = newSecret(32);
        this.sessions.set(sid, Date.now() + this.ttlMs);
        return sid;
      }
    }
    return null;
  }

  valid(sid: string | undefined): boolean {
    if (!sid) return false;
    const exp = this.sessions.get(sid);
    if (exp === undefined) return false;
    if (exp < Date.now()) {
      this.sessions.delete(sid);
      return false;
    }
    return true;
  }

  end(sid: string | undefined): void {
    if (sid) this.sessions.delete(sid);
  }
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}
