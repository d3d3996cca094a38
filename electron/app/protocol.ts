import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { CSP, PERMISSIONS_POLICY } from '../core/http/csp.js';
import { APP_HOST, APP_SCHEME } from './app-origin.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export type Resolved = { kind: 'file'; path: string } | { kind: 'refused'; status: 400 | 403 | 404 };

/**
 * Maps app://marquee/<path> onto a file under `root`. Anything that would leave root (../, encoded
 * %2e%2e or %2f, backslashes, NUL) is refused, as is any other host or scheme: the window never
 * loads content from anywhere else. Paths without an extension are client-side routes → index.html.
 */
export function resolveAppPath(root: string, url: string): Resolved {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { kind: 'refused', status: 400 };
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return { kind: 'refused', status: 403 };
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return { kind: 'refused', status: 400 };
  }
  if (path.includes('\0') || path.includes('\\') || path.split('/').some((seg) => seg === '..')) return { kind: 'refused', status: 403 };
  const base = resolve(root);
  const rel = path === '/' || path === '' ? 'index.html' : extname(path) === '' ? 'index.html' : path.replace(/^\/+/, '');
  const file = resolve(base, rel);
  if (file !== base && !file.startsWith(base + sep)) return { kind: 'refused', status: 403 };
  return { kind: 'file', path: file };
}

const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'permissions-policy': PERMISSIONS_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** The protocol.handle handler for app://, written against the Fetch API so Node tests can call it. */
export function createAppProtocolHandler(root: string) {
  return async (request: Request): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405, headers: SECURITY_HEADERS });
    const r = resolveAppPath(root, request.url);
    if (r.kind === 'refused') return new Response('Not found', { status: r.status, headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain' } });
    try {
      if (!(await stat(r.path)).isFile()) throw new Error('not a file');
      const body = await readFile(r.path);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { ...SECURITY_HEADERS, 'content-type': TYPES[extname(r.path).toLowerCase()] ?? 'application/octet-stream', 'cache-control': 'no-cache' },
      });
    } catch {
      return new Response('Not found', { status: 404, headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain' } });
    }
  };
}
