/** What a saved password is shown as; sent back unchanged, it means "keep the saved one". */
export const PASSWORD_MASK = '****';

/** The URL with its password replaced by the mask: what settings screens and answers show. */
export function maskDatabaseUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    if (u.password) u.password = PASSWORD_MASK;
    return u.toString();
  } catch {
    // Unreadable: show nothing that could be the password.
    return url.replace(/\/\/[^@/]*@/, `//…@`);
  }
}

/**
 * A URL typed back with the masked password gets the saved password again, when it names the same
 * user, host and port as the saved URL (so a changed host never receives the old server's password).
 */
export function unmaskDatabaseUrl(url: string, saved: string | null): { url: string; masked: boolean } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url, masked: false };
  }
  if (decodeURIComponent(u.password) !== PASSWORD_MASK) return { url, masked: false };
  if (saved) {
    try {
      const s = new URL(saved);
      if (s.username === u.username && s.hostname === u.hostname && (s.port || '5432') === (u.port || '5432')) {
        u.password = s.password;
        return { url: u.toString(), masked: false };
      }
    } catch {
      // fall through: the mask stays, and the caller says to type the password
    }
  }
  return { url, masked: true };
}
