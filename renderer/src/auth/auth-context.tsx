import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Permission } from '../../../shared/operations/define.js';
import type { OpOutput } from '../../../shared/operations/index.js';
import { isCode, useClient } from '../client/index.js';

type Me = OpOutput<'whoAmI'>;
export type SignedInUser = NonNullable<Me['user']>;

interface Auth {
  /** null while loading or signed out */
  user: SignedInUser | null;
  /** A window the box office trusts without sign-in (a desktop bridge without accounts): no sign-in screen. */
  unrestricted: boolean;
  loading: boolean;
  can: (p: Permission | undefined) => boolean;
  idleLockMinutes: number;
  /** After a sign-in: forget everything the last person saw, then learn who we are now. */
  signedIn: () => Promise<void>;
  /** mode: how the sign-in screen asks next (switching clerks at a kiosk → the PIN pad). */
  signOut: (mode?: 'password' | 'pin') => Promise<void>;
}

const MODE_KEY = 'marquee.signin-mode';
export const nextSignInMode = (fallback: 'password' | 'pin'): 'password' | 'pin' => {
  const m = sessionStorage.getItem(MODE_KEY);
  return m === 'pin' || m === 'password' ? m : fallback;
};

const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth needs <AuthProvider>');
  return a;
}

/**
 * The signed-in user, from whoAmI (the server's answer is the only truth: the UI only hides what the
 * server refuses anyway). Kept outside react-query so that clearing every cached answer at a
 * sign-in, sign-out or idle lock never leaves a stale "who am I" behind.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const [me, setMe] = useState<Me | null>(null);

  const refresh = useCallback(async () => {
    const signedOut: Me = { user: null, permissions: ['public'], via: null, idleLockMinutes: 5 };
    try {
      setMe(await client.whoAmI({}));
    } catch (e) {
      // A lost store (the banner says so) signs nobody out: keep who we were until it is back.
      if (isCode(e, 'STORE_UNAVAILABLE')) setMe((prev) => prev ?? signedOut);
      else setMe(signedOut);
    }
  }, [client]);

  useEffect(() => {
    void refresh();
    const onFocus = () => void refresh();
    window.addEventListener('focus', onFocus);
    // Electron's idle lock signs the window out in main; learn it here.
    const events = (globalThis as { marqueeEvents?: { onIdleLock?: (cb: () => void) => () => void } }).marqueeEvents;
    const off = typeof events?.onIdleLock === 'function' ? events.onIdleLock(() => void refresh()) : undefined;
    return () => {
      window.removeEventListener('focus', onFocus);
      off?.();
    };
  }, [refresh]);

  const signedIn = useCallback(async () => {
    queryClient.clear();
    await refresh();
  }, [queryClient, refresh]);

  const signOut = useCallback(
    async (mode?: 'password' | 'pin') => {
      if (mode) sessionStorage.setItem(MODE_KEY, mode);
      await client.signOut({}).catch(() => undefined);
      queryClient.clear();
      await refresh();
    },
    [client, queryClient, refresh],
  );

  // Any 401 from a screen (session expired, signed out elsewhere, account deactivated) goes back to sign-in.
  useEffect(
    () =>
      queryClient.getQueryCache().subscribe((e) => {
        const err = e.query.state.error as { code?: string } | null;
        if (e.type === 'updated' && err?.code === 'UNAUTHORIZED') void refresh();
      }),
    [queryClient, refresh],
  );

  const permissions = useMemo(() => new Set<string>(me?.permissions ?? []), [me]);
  const value = useMemo<Auth>(
    () => ({
      user: me?.user ?? null,
      unrestricted: me?.via === 'system',
      loading: me === null,
      can: (p) => p === undefined || p === 'public' || permissions.has(p),
      idleLockMinutes: me?.idleLockMinutes ?? 5,
      signedIn,
      signOut,
    }),
    [me, permissions, signedIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/**
 * Browser-side idle lock: after N minutes without keyboard, pointer or touch input the session is
 * signed out (server side too), so the next person at the counter starts at the sign-in screen.
 * The Electron kiosk also locks from main (window.marqueeEvents.onIdleLock).
 */
export function useIdleSignOut(minutes: number, active: boolean, onIdle: () => void) {
  useEffect(() => {
    if (!active) return;
    let last = Date.now();
    const bump = () => {
      last = Date.now();
    };
    const events = ['keydown', 'pointerdown', 'pointermove', 'touchstart', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, bump, { passive: true });
    const timer = window.setInterval(() => {
      if (Date.now() - last >= minutes * 60_000) onIdle();
    }, Math.min(15_000, Math.max(1_000, (minutes * 60_000) / 4)));
    return () => {
      for (const e of events) window.removeEventListener(e, bump);
      window.clearInterval(timer);
    };
  }, [minutes, active, onIdle]);
}
