import { useSyncExternalStore } from 'react';

/**
 * A tiny hash router: #/<screen>/<rest…>?query. Hash URLs need no server fallback, so the same
 * build works from disk in Electron and from `marquee serve` in a browser.
 */
export interface Route {
  /** First path segment: the screen id from screens/index.ts. */
  screen: string;
  /** The remaining path segments, e.g. ['12'] for #/events/12. */
  rest: string[];
  query: URLSearchParams;
  path: string;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [pathPart = '/', queryPart = ''] = raw.split('?', 2);
  const segments = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  return { screen: segments[0] ?? '', rest: segments.slice(1), query: new URLSearchParams(queryPart), path: pathPart };
}

const subscribe = (cb: () => void) => {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
};
const snapshot = () => window.location.hash;

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, snapshot, () => '');
  return parseHash(hash);
}

/** navigate('/events/12') or navigate('/events', { city: 'Chicago' }). */
export function navigate(path: string, query?: Record<string, string | number | undefined>): void {
  window.location.hash = href(path, query);
}

export function href(path: string, query?: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `#${path.startsWith('/') ? path : `/${path}`}${s ? `?${s}` : ''}`;
}
