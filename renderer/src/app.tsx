import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { Component, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { ClientProvider, createClient, transport, ClientError } from './client/index.js';
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
        // A rejected request (validation, not found, unauthorised) will not change by asking again.
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

function Nav({ current }: { current: ScreenDef }) {
  return (
    <nav className="nav" aria-label="Screens">
      {screens.map((s) => (
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
  const home = screens[0]!;
  const current = screens.find((s) => s.id === route.screen) ?? home;
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    if (!route.screen) navigate(`/${home.id}`);
  }, [route.screen, home.id]);

  // Each screen's shortcut, from the registry.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const hit = screens.find((s) => s.shortcut && matchesShortcut(e, s.shortcut));
      if (!hit) return;
      e.preventDefault();
      navigate(`/${hit.id}`);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

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
        <Nav current={current} />
        <span className="transport" title="How this window talks to the box office">{transport() === 'ipc' ? 'Desktop' : 'Browser'}</span>
      </header>
      <main id="main" ref={mainRef} className="main">
        <ScreenBoundary resetKey={screenPath}>
          <Screen />
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

export function App() {
  const client = useMemo(() => createClient(), []);
  const queryClient = useMemo(() => makeQueryClient(), []);
  return (
    <ClientProvider client={client}>
      <QueryClientProvider client={queryClient}>
        <CartProvider>
          <IdleLock />
          <Shell />
        </CartProvider>
      </QueryClientProvider>
    </ClientProvider>
  );
}
