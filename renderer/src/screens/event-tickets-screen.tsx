import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { parseMoneyToCents } from '../../../shared/money.js';
import type { OpInput, OpOutput } from '../../../shared/operations/index.js';
import { ClientError, useClient, useOp, useStoreStatus } from '../client/index.js';
import { BestTicketPanel } from '../components/best-ticket-panel.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Button, SelectField } from '../components/ui.js';
import { eventDateTime, money } from '../format.js';
import { href, navigate, useRoute } from '../router.js';
import { useCart } from '../sale-cart.js';

type Ticket = OpOutput<'listEventTickets'>['items'][number];
type Sort = 'price' | '-price' | 'section' | 'row';

const PAGE = 500;
const ROW_HEIGHT = 48;

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

function toQuery(f: Filters): { query: Partial<OpInput<'listEventTickets'>>; errors: Partial<Record<keyof Filters, string>> } {
  const query: Partial<OpInput<'listEventTickets'>> = {};
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

export function EventTicketsScreen({ eventId }: { eventId: number }) {
  const client = useClient();
  const { query: routeQuery } = useRoute();
  const { setCart } = useCart();
  const store = useStoreStatus();
  const event = useOp('getEvent', { id: eventId });
  const sellers = useOp('listSellers', {});
  const sellerName = useMemo(() => new Map((sellers.data?.items ?? []).map((s) => [s.id, s.name])), [sellers.data]);

  const initial: Filters = { section: routeQuery.get('section') ?? '', minPrice: '', maxPrice: '', minQuantity: '' };
  const [draft, setDraft] = useState<Filters>(initial);
  const [applied, setApplied] = useState<Filters>(initial);
  const [sort, setSort] = useState<Sort>('price');
  const { errors } = toQuery(draft);
  const appliedQuery = toQuery(applied).query;

  const input = { id: eventId, ...appliedQuery, sort, limit: PAGE };
  const tickets = useInfiniteQuery<OpOutput<'listEventTickets'>, ClientError>({
    queryKey: ['listEventTickets', input],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => client.listEventTickets({ ...input, ...(pageParam ? { cursor: pageParam as string } : {}) }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = useMemo(() => tickets.data?.pages.flatMap((p) => p.items) ?? [], [tickets.data]);
  const total = tickets.data?.pages[0]?.total ?? 0;

  const [selected, setSelected] = useState<Map<number, Ticket>>(new Map());
  const toggle = (t: Ticket) =>
    setSelected((prev) => {
      const next = new Map(prev);
      if (next.has(t.id)) next.delete(t.id);
      else next.set(t.id, t);
      return next;
    });
  // A ticket that left the list (sold elsewhere) must not stay in the selection.
  useEffect(() => {
    if (!tickets.data || tickets.hasNextPage) return;
    const ids = new Set(items.map((t) => t.id));
    setSelected((prev) => (prev.size === 0 || [...prev.keys()].every((id) => ids.has(id)) ? prev : new Map([...prev].filter(([id]) => ids.has(id)))));
  }, [items, tickets.data, tickets.hasNextPage]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length + (tickets.hasNextPage ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems[virtualItems.length - 1]?.index ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = tickets;
  useEffect(() => {
    if (lastIndex >= items.length - 1 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [lastIndex, items.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const startSale = (picked: Ticket[], reason: string | null) => {
    if (!event.data || picked.length === 0) return;
    setCart({ event: event.data, tickets: picked, reason });
    navigate('/sell');
  };

  const applyFilters = (e: FormEvent) => {
    e.preventDefault();
    if (Object.keys(errors).length === 0) setApplied(draft);
  };
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });
  const soldElsewhere = routeQuery.get('notice') === 'sold-elsewhere';
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
      {soldElsewhere ? (
        <div className="notice notice-warn" role="alert" data-testid="sold-elsewhere">
          That ticket was just sold elsewhere. The list is refreshed, please pick another ticket.
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
            <span aria-live="polite" data-testid="ticket-count">
              {tickets.isPending ? 'Loading tickets…' : `${total} ticket${total === 1 ? '' : 's'} available`}
              {tickets.isFetching && !tickets.isPending ? ' · refreshing…' : ''}
            </span>
            <span className="spacer" />
            {selected.size > 0 ? (
              <Button onPress={() => setSelected(new Map())} variant="link">
                Clear selection
              </Button>
            ) : null}
            <Button variant="primary" isDisabled={selected.size === 0 || !store.canSell} onPress={() => startSale([...selected.values()], null)}>
              Sell selected ({selected.size})
            </Button>
          </div>
          <ErrorNotice error={tickets.error} />
          <div className="ticket-scroller" ref={scrollRef} role="group" aria-label="Available tickets" data-testid="ticket-list">
            <div className="ticket-head" aria-hidden="true">
              <span>Pick</span>
              <span>Section</span>
              <span>Row</span>
              <span>Seat</span>
              <span>Seller</span>
              <span style={{ textAlign: 'right' }}>Price</span>
            </div>
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualItems.map((v) => {
                const t = items[v.index];
                if (!t) {
                  return (
                    <div key="loader" className="ticket-row muted" style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)` }}>
                      Loading more…
                    </div>
                  );
                }
                const isSelected = selected.has(t.id);
                return (
                  <label
                    key={t.id}
                    className="ticket-row"
                    data-testid="ticket-row"
                    data-ticket-id={t.id}
                    data-selected={isSelected ? true : undefined}
                    style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)` }}
                  >
                    <span className="check-cell">
                      <input
                        type="checkbox"
                        checked={isSelected}
                        onChange={() => toggle(t)}
                        aria-label={`Sec ${t.section}, row ${t.row}${t.seat ? `, seat ${t.seat}` : ''}, ${money(t.priceCents, t.currency)}`}
                      />
                    </span>
                    <span>{t.section}</span>
                    <span>{t.row}</span>
                    <span>{t.seat ?? '—'}</span>
                    <span className="muted">{sellerName.get(t.sellerId) ?? `#${t.sellerId}`}</span>
                    <span className="price">{money(t.priceCents, t.currency)}</span>
                  </label>
                );
              })}
            </div>
            {tickets.data && items.length === 0 ? <p className="muted" style={{ padding: 12 }}>No tickets match these filters.</p> : null}
          </div>
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
