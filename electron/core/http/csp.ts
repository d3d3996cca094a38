// The one Content-Security-Policy of every page Marquee serves: the browser-mode server and the
// desktop app's own protocol. Its own module so the Electron main bundle does not pull in the server.
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// The browser features a Marquee page may use: the camera, for the Door screen's QR scanning, on the
// page's own origin only; no microphone, location, payment or device APIs. (The CSP has no say over
// the camera: a camera stream goes to the <video> as a MediaStream object, not loaded from a URL.)
export const PERMISSIONS_POLICY = 'camera=(self), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), display-capture=()';
