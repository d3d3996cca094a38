// What the desktop window may ask the OS for. Everything is refused except the camera (video only,
// no microphone) for the app's own pages, which the Door screen's "Use camera" needs to scan QR codes.
import { isAppUrl } from './app-origin.js';

/** session.setPermissionRequestHandler: a page asks (getUserMedia). */
export function allowPermissionRequest(permission: string, requestingUrl: string | undefined, mediaTypes: readonly string[] | undefined): boolean {
  if (permission !== 'media' || !requestingUrl || !isAppUrl(requestingUrl)) return false;
  // getUserMedia({ video }) asks for ['video']; anything with audio (or nothing named) is refused.
  return mediaTypes !== undefined && mediaTypes.length > 0 && mediaTypes.every((t) => t === 'video');
}

/** session.setPermissionCheckHandler: a page checks whether it may (enumerateDevices, permissions.query). */
export function allowPermissionCheck(permission: string, requestingOrigin: string | undefined, mediaType: string | undefined): boolean {
  return permission === 'media' && mediaType === 'video' && !!requestingOrigin && isAppUrl(requestingOrigin);
}
