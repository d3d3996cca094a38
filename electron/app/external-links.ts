/**
 * Hosts the box office may open in the user's browser (venue maps, the project page). Anything
 * else — http:, file:, javascript:, custom schemes, look-alike hosts, credentials in the URL — is
 * dropped, because shell.openExternal on an attacker's URL can launch local programs.
 */
export const EXTERNAL_HOSTS: readonly string[] = ['www.openstreetmap.org', 'openstreetmap.org', 'github.com'];

export function isVettedExternalUrl(url: string, allowedHosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  if (typeof url !== 'string' || url.length > 2048) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:') return false;
  if (u.username !== '' || u.password !== '') return false;
  if (u.port !== '' && u.port !== '443') return false;
  // Exact host match: a suffix match would let github.com.evil.example through.
  return allowedHosts.includes(u.hostname.toLowerCase());
}
