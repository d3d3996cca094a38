import { useStoreStatus } from '../client/index.js';

/** "the database server refuses connections: …" → "The database server refuses connections: …." */
export function sentence(s: string): string {
  const t = s.trim();
  if (!t) return t;
  const up = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(up) ? up : `${up}.`;
}

/**
 * On every screen (and the sign-in screen) while the store cannot be reached: selling is paused until
 * the probe has reconnected, then the banner goes by itself.
 */
export function StoreBanner() {
  const { status, engine, problem } = useStoreStatus();
  if (status !== 'unavailable') return null;
  const what = engine === 'sqlite' ? 'the database' : 'the shared database';
  return (
    <div className="store-banner" role="alert" data-testid="store-banner">
      <span className="store-banner-mark" aria-hidden="true">
        !
      </span>
      <div>
        <strong>Can&apos;t reach {what} — selling is paused. Reconnecting…</strong>
        {problem ? <div data-testid="store-banner-problem">{sentence(problem)}</div> : null}
        <div className="store-banner-note">Nothing is sold or changed until it is back; this banner goes away by itself.</div>
      </div>
    </div>
  );
}
