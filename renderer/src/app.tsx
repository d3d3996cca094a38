import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { Component, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { AuthProvider, nextSignInMode, useAuth, useIdleSignOut } from './auth/auth-context.js';
import { SignInScreen } from './auth/sign-in-screen.js';
import { UserMenu } from './auth/user-menu.js';
import { ClientProvider, createClient, transport, ClientError, StoreStatusProvider, watchStore } from './client/index.js';
import { StoreBanner } from './components/store-banner.js';
import { navigate, useRoute } from './router.js';
import { CartProvider, useCart } from './sale-cart.js';
import { screens } from './screens/index.js';
import type { ScreenDef } from './screens/types.js';
import { matchesShortcut } from './shortcuts.js';

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // A rejected request (validation, not found, unauthorised) will not change by asking again;
        // a lost store is followed by the banner, which refetches everything once it is back.
        retry: (count, e) => count < 2 && e instanceof ClientError && e.code === 'NETWORK',
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });
}

class ScreenBoundary extends Component<{ children: ReactNode; resetKey: string }, { error: Error | null }> {
  override state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidUpdate(prev: { resetKey: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }
  override render() {
    if (this.state.error) {
      return (
        <div className="notice notice-error" role="alert">
          This screen hit a problem: {this.state.error.message}. Pick another screen or reload.
        </div>
      );
    }
    return this.props.children;
  }
}

function Nav({ current, visible }: { current: ScreenDef; visible: ScreenDef[] }) {
  return (
    <nav className="nav" aria-label="Screens">
      {visible.map((s) => (
        <a key={s.id} href={`#/${s.id}`} className="nav-link" aria-current={s.id === current.id ? 'page' : undefined}>
          <span>{s.label}</span>
          {s.shortcut ? <kbd className="nav-kbd">{s.shortcut}</kbd> : null}
        </a>
      ))}
    </nav>
  );
}

export function Shell() {
  const route = useRoute();
  const { can } = useAuth();
  // Screens this role may use (ScreenDef.permission); the server refuses the rest anyway.
  const visible = screens.filter((s) => can(s.permission));
  const home = visible[0] ?? screens[0]!;
  const current = screens.find((s) => s.id === route.screen) ?? home;
  const allowed = can(current.permission);
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    if (!route.screen) navigate(`/${home.id}`);
  }, [route.screen, home.id]);

  // Each screen's shortcut, from the registry.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const hit = visible.find((s) => s.shortcut && matchesShortcut(e, s.shortcut));
      if (!hit) return;
      e.preventDefault();
      navigate(`/${hit.id}`);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [visible]);

  // Keyboard and screen-reader users land on the new screen's heading, not back at the top of the nav.
  const screenPath = `${current.id}/${route.rest.join('/')}`;
  useEffect(() => {
    const h1 = mainRef.current?.querySelector('h1');
    if (h1 && !mainRef.current?.contains(document.activeElement)) {
      h1.setAttribute('tabindex', '-1');
      h1.focus({ preventScroll: true });
    }
  }, [screenPath]);

  const Screen = current.element;
  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); mainRef.current?.querySelector('h1')?.focus(); }}>
        Skip to content
      </a>
      <header className="topbar">
        <div className="brand" aria-label="Marquee box office">
          <span className="brand-mark" aria-hidden="true">▮</span> Marquee
        </div>
        <Nav current={current} visible={visible} />
        <span className="transport" title="How this window talks to the box office">{transport() === 'ipc' ? 'Desktop' : 'Browser'}</span>
        <UserMenu />
      </header>
      <main id="main" ref={mainRef} className="main">
        <ScreenBoundary resetKey={screenPath}>
          {allowed ? (
            <Screen />
          ) : (
            <section className="screen">
              <h1>{current.label}</h1>
              <div className="notice notice-error" role="alert">
                Your account may not open this screen. <a href={`#/${home.id}`}>Back to {home.label}</a>
              </div>
            </section>
          )}
        </ScreenBoundary>
      </main>
    </div>
  );
}

/**
 * Electron's kiosk idle lock (window.marqueeEvents, from the preload): drop the sale in progress
 * and every cached answer, and go home, so the next person never sees the last customer's order.
 */
function IdleLock() {
  const { setCart } = useCart();
  const queryClient = useQueryClient();
  useEffect(() => {
    const events = (globalThis as { marqueeEvents?: { onIdleLock?: (cb: () => void) => () => void } }).marqueeEvents;
    if (typeof events?.onIdleLock !== 'function') return;
    return events.onIdleLock(() => {
      setCart(null);
      queryClient.clear();
      navigate(`/${screens[0]!.id}`);
    });
  }, [setCart, queryClient]);
  return null;
}

/** Signed out (or locked): the sign-in screen; signed in: the box office, idle-locked after N minutes. */
function Gate() {
  const { user, unrestricted, loading, idleLockMinutes, signOut } = useAuth();
  const { setCart } = useCart();
  const [locked, setLocked] = useState(false);
  const onIdle = useCallback(() => {
    setCart(null);
    setLocked(true);
    void signOut('pin');
  }, [setCart, signOut]);
  useIdleSignOut(idleLockMinutes, user !== null, onIdle);
  useEffect(() => {
    if (user) setLocked(false);
  }, [user]);
  if (loading) return <div className="signin" aria-busy="true" />;
  if (!user && !unrestricted) return <SignInScreen initialMode={nextSignInMode(transport() === 'ipc' ? 'pin' : 'password')} locked={locked} />;
  return <Shell />;
}

export function App() {
  // Every call goes through watchStore, so a STORE_UNAVAILABLE answer anywhere raises the banner at once.
  const watch = useMemo(() => watchStore(createClient()), []);
  const queryClient = useMemo(() => makeQueryClient(), []);
  return (
    <ClientProvider client={watch.client}>
      <QueryClientProvider client={queryClient}>
        <StoreStatusProvider watch={watch}>
          <div className="app-frame">
            <StoreBanner />
            <div className="app-body">
              <AuthProvider>
                <CartProvider>
                  <IdleLock />
                  <Gate />
                </CartProvider>
              </AuthProvider>
            </div>
          </div>
        </StoreStatusProvider>
      </QueryClientProvider>
    </ClientProvider>
  );
}
