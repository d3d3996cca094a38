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
  /** code → the user it signs in (null: the server token's admin when no admin account exists yet). */
  private readonly codes = new Map<string, number | null>();
  private readonly sessions = new Map<string, { userId: number | null; expires: number; lastSeen: number }>();

  constructor(private readonly ttlMs = 12 * 60 * 60 * 1000) {}

  /** A one-time code that signs the browser in as this user (the one who asked for the link). */
  newLoginCode(userId: number | null = null): string {
    const code = newSecret(24);
    this.codes.set(code, userId);
    return code;
  }

  /** Returns a session id, or null if the code is unknown or was already used. */
  redeem(code: string): string | null {
    for (const [c, userId] of this.codes) {
      if (safeEqual(c, code)) {
        this.codes.delete(c);
        return this.create(userId);
      }
    }
    return null;
  }

  /** A new session for a user who just signed in. */
  create(userId: number | null): string {
    const sid = newSecret(32);
    this.sessions.set(sid, { userId, expires: Date.now() + this.ttlMs, lastSeen: Date.now() });
    return sid;
  }

  /**
   * The session's user (undefined when there is no such live session). `idleMs`: a session unused
   * that long is over (the idle lock, enforced here too, not only by the page).
   */
  userOf(sid: string | undefined, idleMs?: number): number | null | undefined {
    if (!sid) return undefined;
    const s = this.sessions.get(sid);
    if (s === undefined) return undefined;
    const now = Date.now();
    if (s.expires < now || (idleMs !== undefined && now - s.lastSeen > idleMs)) {
      this.sessions.delete(sid);
      return undefined;
    }
    s.lastSeen = now;
    return s.userId;
  }

  valid(sid: string | undefined): boolean {
    return this.userOf(sid) !== undefined;
  }

  end(sid: string | undefined): void {
    if (sid) this.sessions.delete(sid);
  }
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const raw = part.slice(i + 1).trim();
    // Cookies of other apps on localhost (any port) arrive too; one that is not valid %-encoding stays as sent.
    try {
      out[part.slice(0, i).trim()] = decodeURIComponent(raw);
    } catch {
      out[part.slice(0, i).trim()] = raw;
    }
  }
  return out;
}
