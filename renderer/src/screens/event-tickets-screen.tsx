import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { parseMoneyToCents } from '../../../shared/money.js';
import type { OpInput, OpOutput } from '../../../shared/operations/index.js';
import { ClientError, useClient, useOp, useStoreStatus } from '../client/index.js';
import { BestTicketPanel } from '../components/best-ticket-panel.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Button, SelectField } from '../components/ui.js';
import { eventDateTime, money } from '../format.js';
import { href, navigate, useRoute } from '../router.js';
import { useCart, type CartTicket } from '../sale-cart.js';

type Listing = OpOutput<'listEventListings'>['items'][number];
type Sort = 'price' | '-price' | 'section' | 'row';

const PAGE = 200;
const ROW_HEIGHT = 56;
/** A seat chip is 44px high; they wrap in lines of this many in the expanded row (estimate only: rows are measured). */
const SEATS_PER_LINE = 12;

interface Filters {
  section: string;
  minPrice: string;
  maxPrice: string;
  minQuantity: string;
}

const SORTS: { value: Sort; label: string }[] = [
  { value: 'price', label: 'Lowest price' },
  { value: '-price', label: 'Highest price' },
  { value: 'section', label: 'Section' },
  { value: 'row', label: 'Row' },
];

function toQuery(f: Filters): { query: Partial<OpInput<'listEventListings'>>; errors: Partial<Record<keyof Filters, string>> } {
  const query: Partial<OpInput<'listEventListings'>> = {};
  const errors: Partial<Record<keyof Filters, string>> = {};
  if (f.section.trim()) query.section = f.section.trim();
  for (const k of ['minPrice', 'maxPrice'] as const) {
    if (!f[k].trim()) continue;
    const cents = parseMoneyToCents(f[k]);
    if (cents === null) errors[k] = 'Write a price such as 45 or 45.50';
    else query[k] = cents;
  }
  if (f.minQuantity.trim()) {
    const n = Number(f.minQuantity);
    if (!Number.isInteger(n) || n < 1 || n > 100) errors.minQuantity = 'A whole number from 1 to 100';
    else query.minQuantity = n;
  }
  if (query.minPrice !== undefined && query.maxPrice !== undefined && query.minPrice > query.maxPrice) errors.maxPrice = 'Max is below min';
  return { query, errors };
}

/** Available seat labels as short runs: 7–12, 15, 18–19 (numeric labels only; others listed as they come). */
export function seatRuns(seats: readonly { seat: string }[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < seats.length) {
    const first = seats[i]!.seat;
    let j = i;
    while (j + 1 < seats.length && /^\d+$/.test(seats[j]!.seat) && /^\d+$/.test(seats[j + 1]!.seat) && Number(seats[j + 1]!.seat) === Number(seats[j]!.seat) + 1) j++;
    out.push(j > i ? `${first}–${seats[j]!.seat}` : first);
    i = j + 1;
  }
  return out.join(', ');
}

const clamp = (n: number, max: number) => Math.min(Math.max(1, Math.floor(n) || 1), Math.max(1, max));

export function EventTicketsScreen({ eventId }: { eventId: number }) {
  const client = useClient();
  const { query: routeQuery } = useRoute();
  const { setCart } = useCart();
  const store = useStoreStatus();
  const event = useOp('getEvent', { id: eventId });

  const initial: Filters = { section: routeQuery.get('section') ?? '', minPrice: '', maxPrice: '', minQuantity: '' };
  const [draft, setDraft] = useState<Filters>(initial);
  const [applied, setApplied] = useState<Filters>(initial);
  const [sort, setSort] = useState<Sort>('price');
  const { errors } = toQuery(draft);
  const appliedQuery = toQuery(applied).query;

  const input = { id: eventId, ...appliedQuery, sort, limit: PAGE };
  const listings = useInfiniteQuery<OpOutput<'listEventListings'>, ClientError>({
    queryKey: ['listEventListings', input],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => client.listEventListings({ ...input, ...(pageParam ? { cursor: pageParam as string } : {}) }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = useMemo(() => listings.data?.pages.flatMap((p) => p.items) ?? [], [listings.data]);
  const total = listings.data?.pages[0]?.total ?? 0;
  const ticketsAvailable = listings.data?.pages[0]?.ticketsAvailable ?? 0;

  // How many of each listing the clerk is about to take (1 until changed; never more than are left).
  const [quantities, setQuantities] = useState<Map<number, number>>(new Map());
  const quantityOf = (g: Listing) => clamp(quantities.get(g.listingId) ?? 1, g.available);
  const setQuantity = (g: Listing, n: number) => setQuantities((prev) => new Map(prev).set(g.listingId, clamp(n, g.available)));

  // Numbered listings open to their seats; single seats are picked there, as before.
  const [expanded, setExpanded] = useState<Set<number>>(new Set());
  const toggleExpanded = (id: number) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const [selected, setSelected] = useState<Map<number, CartTicket>>(new Map());
  const toggleSeat = (g: Listing, s: { ticketId: number; seat: string }) =>
    setSelected((prev) => {
      const next = new Map(prev);
      if (next.has(s.ticketId)) next.delete(s.ticketId);
      else next.set(s.ticketId, { id: s.ticketId, section: g.section, row: g.row, seat: s.seat, priceCents: g.priceCents, currency: g.currency });
      return next;
    });
  // A seat that left the list (sold elsewhere) must not stay in the selection.
  useEffect(() => {
    if (!listings.data || listings.hasNextPage) return;
    const ids = new Set(items.flatMap((g) => (g.seats ?? []).map((s) => s.ticketId)));
    setSelected((prev) => (prev.size === 0 || [...prev.keys()].every((id) => ids.has(id)) ? prev : new Map([...prev].filter(([id]) => ids.has(id)))));
  }, [items, listings.data, listings.hasNextPage]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length + (listings.hasNextPage ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => {
      const g = items[i];
      if (!g || !expanded.has(g.listingId)) return ROW_HEIGHT;
      return ROW_HEIGHT + 12 + Math.ceil(Math.max(1, g.seats?.length ?? 0) / SEATS_PER_LINE) * 52;
    },
    getItemKey: (i) => items[i]?.listingId ?? 'loader',
    overscan: 8,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems[virtualItems.length - 1]?.index ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = listings;
  useEffect(() => {
    if (lastIndex >= items.length - 1 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [lastIndex, items.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const startSale = (picked: CartTicket[], reason: string | null) => {
    if (!event.data || picked.length === 0) return;
    setCart({ event: event.data, tickets: picked, reason });
    navigate('/sell');
  };
  // "Sell N" of a listing: the server picks which N at confirm time, under its locks (sellFromListing).
  const sellFromListing = (g: Listing) => {
    if (!event.data) return;
    const quantity = quantityOf(g);
    setCart({
      event: event.data,
      tickets: [],
      reason: null,
      listing: { listingId: g.listingId, quantity, available: g.available, section: g.section, row: g.row, sellerName: g.sellerName, priceCents: g.priceCents, currency: g.currency },
    });
    navigate('/sell');
  };

  // Keyboard: ↑/↓ move between listings (to the same control), + and − change the quantity, Enter sells N.
  const onRowKey = (e: KeyboardEvent<HTMLDivElement>, index: number, g: Listing) => {
    const target = e.target as HTMLElement;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (target instanceof HTMLInputElement && target.type === 'checkbox') return;
      const next = index + (e.key === 'ArrowDown' ? 1 : -1);
      if (next < 0 || next >= items.length) return;
      e.preventDefault();
      const role = target.dataset.role ?? 'qty';
      virtualizer.scrollToIndex(next);
      requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${next}"] [data-role="${role}"]`)?.focus());
    } else if ((e.key === '+' || e.key === '=') && target.dataset.role === 'qty') {
      e.preventDefault();
      setQuantity(g, quantityOf(g) + 1);
    } else if (e.key === '-' && target.dataset.role === 'qty') {
      e.preventDefault();
      setQuantity(g, quantityOf(g) - 1);
    } else if (e.key === 'Enter' && target.dataset.role === 'qty') {
      e.preventDefault();
      sellFromListing(g);
    }
  };

  const applyFilters = (e: FormEvent) => {
    e.preventDefault();
    if (Object.keys(errors).length === 0) setApplied(draft);
  };
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });
  const notice = routeQuery.get('notice');
  const ev = event.data;

  return (
    <section className="screen screen-fill">
      <div className="screen-head">
        <a className="btn no-print" href={href('/events')}>
          ← Events
        </a>
        <h1>{ev ? ev.name : 'Event'}</h1>
        {ev ? (
          <span className="sub" data-testid="event-meta">
            {ev.venue.name}, {ev.venue.city} · {eventDateTime(ev.startsAt, ev.venue.timezone)}
          </span>
        ) : null}
      </div>
      <ErrorNotice error={event.error} />
      {notice === 'sold-elsewhere' ? (
        <div className="notice notice-warn" role="alert" data-testid="sold-elsewhere">
          That ticket was just sold elsewhere. The list is refreshed, please pick another ticket.
        </div>
      ) : null}
      {notice === 'listing-short' ? (
        <div className="notice notice-warn" role="alert" data-testid="sold-elsewhere">
          That listing no longer has that many tickets: some were just sold elsewhere. The list is refreshed, please pick again.
        </div>
      ) : null}
      <div className="tickets-layout">
        <div className="tickets-main">
          <form className="panel field-row filters" onSubmit={applyFilters} aria-label="Filter tickets">
            <label className="field">
              <span>Section</span>
              <input name="section" value={draft.section} onChange={set('section')} placeholder="Any" autoComplete="off" />
            </label>
            <label className="field">
              <span>Min price</span>
              <input name="minPrice" inputMode="decimal" value={draft.minPrice} onChange={set('minPrice')} aria-invalid={errors.minPrice ? true : undefined} />
              {errors.minPrice ? <span className="field-error">{errors.minPrice}</span> : null}
            </label>
            <label className="field">
              <span>Max price</span>
              <input name="maxPrice" inputMode="decimal" value={draft.maxPrice} onChange={set('maxPrice')} aria-invalid={errors.maxPrice ? true : undefined} />
              {errors.maxPrice ? <span className="field-error">{errors.maxPrice}</span> : null}
            </label>
            <label className="field">
              <span>Min qty</span>
              <input name="minQuantity" inputMode="numeric" value={draft.minQuantity} onChange={set('minQuantity')} aria-invalid={errors.minQuantity ? true : undefined} />
              {errors.minQuantity ? <span className="field-error">{errors.minQuantity}</span> : null}
            </label>
            <SelectField label="Sort" name="sort" value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
              {SORTS.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </SelectField>
            <Button type="submit" isDisabled={Object.keys(errors).length > 0}>
              Apply
            </Button>
          </form>
          <div className="field-row" style={{ alignItems: 'center' }}>
            <span aria-live="polite">
              <span data-testid="ticket-count">{listings.isPending ? 'Loading tickets…' : `${ticketsAvailable} ticket${ticketsAvailable === 1 ? '' : 's'} available`}</span>
              {listings.isPending ? null : (
                <span className="muted" data-testid="listing-count">
                  {' '}
                  in {total} listing{total === 1 ? '' : 's'}
                </span>
              )}
              {listings.isFetching && !listings.isPending ? <span className="muted"> · refreshing…</span> : null}
            </span>
            <span className="spacer" />
            {selected.size > 0 ? (
              <Button onPress={() => setSelected(new Map())} variant="link">
                Clear selection
              </Button>
            ) : null}
            <Button variant={selected.size > 0 ? 'primary' : undefined} isDisabled={selected.size === 0 || !store.canSell} onPress={() => startSale([...selected.values()], null)}>
              Sell selected ({selected.size})
            </Button>
          </div>
          <ErrorNotice error={listings.error} />
          <div className="ticket-scroller" ref={scrollRef} role="group" aria-label="Available tickets by listing" data-testid="ticket-list">
            <div className="listing-head" aria-hidden="true">
              <span />
              <span>Section</span>
              <span>Row</span>
              <span>Seats</span>
              <span>Seller</span>
              <span className="num">Left</span>
              <span className="num">Price</span>
              <span className="qty-head">Qty</span>
              <span />
            </div>
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualItems.map((v) => {
                const g = items[v.index];
                const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)` };
                if (!g) {
                  return (
                    <div key={v.key} data-index={v.index} ref={virtualizer.measureElement} className="listing-row muted" style={style}>
                      Loading more…
                    </div>
                  );
                }
                const n = quantityOf(g);
                const open = g.numbered && expanded.has(g.listingId);
                const name = `Sec ${g.section}, row ${g.row}, ${g.sellerName}, ${money(g.priceCents, g.currency)}`;
                const pickedHere = (g.seats ?? []).filter((s) => selected.has(s.ticketId)).length;
                return (
                  <div
                    key={v.key}
                    data-index={v.index}
                    ref={virtualizer.measureElement}
                    className="listing"
                    data-testid="listing-row"
                    data-listing-id={g.listingId}
                    data-expanded={open ? true : undefined}
                    data-selected={pickedHere > 0 ? true : undefined}
                    role="group"
                    aria-label={name}
                    style={style}
                    onKeyDown={(e) => onRowKey(e, v.index, g)}
                  >
                    <div className="listing-row">
                      <span className="expand-cell">
                        {g.numbered ? (
                          <Button
                            className="btn-icon"
                            data-role="expand"
                            aria-expanded={open}
                            aria-label={`${open ? 'Hide' : 'Pick'} seats of sec ${g.section}, row ${g.row}`}
                            onPress={() => toggleExpanded(g.listingId)}
                          >
                            {open ? '▾' : '▸'}
                          </Button>
                        ) : null}
                      </span>
                      <span className="strong">{g.section}</span>
                      <span>{g.row}</span>
                      <span className="muted" title={g.seats ? seatRuns(g.seats) : 'Seats not numbered'}>
                        {g.seats ? seatRuns(g.seats) : '—'}
                      </span>
                      <span className="muted" title={g.sellerName}>
                        {g.sellerName}
                      </span>
                      <span className="num">
                        <strong data-testid="listing-available">{g.available}</strong>
                        {g.total !== g.available ? <span className="muted"> of {g.total}</span> : null}
                      </span>
                      <span className="price num">{money(g.priceCents, g.currency)}</span>
                      <span className="qty">
                        <Button className="btn-icon" aria-label={`One fewer of sec ${g.section}, row ${g.row}`} isDisabled={n <= 1} onPress={() => setQuantity(g, n - 1)}>
                          −
                        </Button>
                        <input
                          type="number"
                          inputMode="numeric"
                          className="qty-input"
                          data-role="qty"
                          min={1}
                          max={g.available}
                          value={n}
                          onChange={(e) => setQuantity(g, Number(e.target.value))}
                          onFocus={(e) => e.target.select()}
                          aria-label={`Quantity of sec ${g.section}, row ${g.row} (1 to ${g.available})`}
                        />
                        <Button className="btn-icon" aria-label={`One more of sec ${g.section}, row ${g.row}`} isDisabled={n >= g.available} onPress={() => setQuantity(g, n + 1)}>
                          +
                        </Button>
                      </span>
                      <Button variant="primary" className="sell-n" data-role="sell" isDisabled={!store.canSell} onPress={() => sellFromListing(g)}>
                        Sell {n}
                      </Button>
                    </div>
                    {open ? (
                      <div className="seat-picks" role="group" aria-label={`Seats of sec ${g.section}, row ${g.row}`}>
                        {(g.seats ?? []).map((s) => {
                          const isSelected = selected.has(s.ticketId);
                          return (
                            <label key={s.ticketId} className="seat-pick" data-testid="seat-pick" data-ticket-id={s.ticketId} data-selected={isSelected ? true : undefined}>
                              <input type="checkbox" checked={isSelected} onChange={() => toggleSeat(g, s)} aria-label={`Sec ${g.section}, row ${g.row}, seat ${s.seat}, ${money(g.priceCents, g.currency)}`} />
                              <span>{s.seat}</span>
                            </label>
                          );
                        })}
                      </div>
                    ) : null}
                  </div>
                );
              })}
            </div>
            {listings.data && items.length === 0 ? <p className="muted" style={{ padding: 12 }}>No tickets match these filters.</p> : null}
          </div>
          <p className="kbd-hint">
            In a listing: <kbd>↑</kbd>/<kbd>↓</kbd> next listing · <kbd>+</kbd>/<kbd>−</kbd> quantity · <kbd>Enter</kbd> sells that many · <kbd>F8</kbd> takes the best ticket
          </p>
        </div>
        <aside className="tickets-side" aria-label="Best ticket">
          <BestTicketPanel eventId={eventId} onTake={(b) => startSale(b.tickets, b.reason)} />
          {ev ? (
            <div className="panel">
              <h2>Availability</h2>
              <p>
                <strong>{ev.ticketsAvailable}</strong> tickets, from <strong>{money(ev.minPriceCents)}</strong>
              </p>
              <p className="muted">
                {ev.venue.addressLine1 ? `${ev.venue.addressLine1}, ` : ''}
                {ev.venue.city}
                {ev.venue.region ? `, ${ev.venue.region}` : ''}
              </p>
            </div>
          ) : null}
        </aside>
      </div>
    </section>
  );
}
