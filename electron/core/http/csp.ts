// The one Content-Security-Policy of every page Marquee serves: the browser-mode server and the
// desktop app's own protocol. Its own module so the Electron main bundle does not pull in the server.
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
