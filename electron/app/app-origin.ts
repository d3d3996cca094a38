// Where the desktop window's pages live, shared by main (protocol, sender check) and preload.
export const APP_SCHEME = 'app';
export const APP_HOST = 'marquee';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const START_URL = `${APP_ORIGIN}/index.html`;

/** Main → renderer: the kiosk was idle long enough to go back to the start screen. */
export const IDLE_LOCK_CHANNEL = 'marquee-event:idle-lock';

/** Main → renderer: seats of an event changed (held, released, sold), for live seat maps. */
export const SEAT_CHANGE_CHANNEL = 'marquee-event:seats';

/**
 * True only for URLs served by our own protocol. Compared by scheme and host because WHATWG URL
 * gives custom schemes an opaque "null" origin.
 */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '' && u.port === '';
  } catch {
    return false;
  }
}
