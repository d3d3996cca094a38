import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { OpOutput } from '../../shared/operations/index.js';

type Ticket = OpOutput<'listEventTickets'>['items'][number];
type EventInfo = OpOutput<'getEvent'>;
/** What the Sell screen shows of a ticket: a listed ticket, or a seat held on the seat map. */
export type CartTicket = Pick<Ticket, 'id' | 'section' | 'row' | 'seat' | 'priceCents' | 'currency'>;

/** "N of this listing": the server picks which N when the sale is confirmed (sellFromListing). */
export interface CartListing {
  listingId: number;
  quantity: number;
  /** How many were left when the clerk chose (the most the Sell screen lets the quantity go up to). */
  available: number;
  section: string;
  row: string;
  sellerName: string;
  priceCents: number;
  currency: string;
}

/** What the clerk is about to sell: one event and the tickets picked (or the best ticket taken), or N of one listing. */
export interface Cart {
  event: EventInfo;
  tickets: CartTicket[];
  /** Set instead of tickets when the clerk took N of a listing. */
  listing?: CartListing;
  /** Why these tickets: the best-ticket reason, or null when picked by hand. */
  reason: string | null;
  /** Seats held on the seat map: the terminal id holding them, which the sale must name to convert its holds. */
  holder?: string;
}

interface CartApi {
  cart: Cart | null;
  setCart: (cart: Cart | null) => void;
}

const KEY = 'marquee.cart';
const CartContext = createContext<CartApi | null>(null);

function load(): Cart | null {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Cart) : null;
  } catch {
    return null;
  }
}

export function CartProvider({ children }: { children: ReactNode }) {
  const [cart, setState] = useState<Cart | null>(load);
  const setCart = useCallback((next: Cart | null) => {
    setState(next);
    // A reload keeps the sale in progress; the server re-checks every ticket at confirm time anyway.
    try {
      if (next) window.sessionStorage.setItem(KEY, JSON.stringify(next));
      else window.sessionStorage.removeItem(KEY);
    } catch {
      /* storage may be disabled; the cart then lives in memory only */
    }
  }, []);
  const value = useMemo(() => ({ cart, setCart }), [cart, setCart]);
  return <CartContext.Provider value={value}>{children}</CartContext.Provider>;
}

export function useCart(): CartApi {
  const api = useContext(CartContext);
  if (!api) throw new Error('useCart needs <CartProvider>');
  return api;
}
