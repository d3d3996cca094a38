import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ClientError, useClient, useOp, useStoreStatus } from '../client/index.js';
import { seatsFromColumns } from '../../../shared/seat-columns.js';
import { followSeats, terminalId, type SeatChange } from '../client/seat-feed.js';
import { ErrorNotice } from '../components/error-notice.js';
import { SeatLegend, SeatMapView, seatName, type MapSeat, type SeatMapData } from '../components/seat-map/seat-map-view.js';
import { eventDateTime, money } from '../format.js';
import { href, navigate, useRoute } from '../router.js';
import { useCart } from '../sale-cart.js';

/** #/seats: events with a seat map; #/seats/<eventId>: the map, where a click holds or releases a seat. */
export function SeatMapScreen() {
  const { rest } = useRoute();
  const id = Number(rest[0]);
  return Number.isSafeInteger(id) && id > 0 ? <EventSeatMap eventId={id} /> : <SeatedEvents />;
}

function SeatedEvents() {
  const list = useOp('listSeatedEvents', {});
  return (
    <section className="screen">
      <h1 tabIndex={-1}>Seat maps</h1>
      <ErrorNotice error={list.error} />
      {list.isLoading ? <p className="muted">Loading…</p> : null}
      <ul className="seatmap-events">
        {list.data?.items.map((e) => (
          <li key={e.eventId} className="panel">
            <a href={href(`/seats/${e.eventId}`)} data-testid="seated-event">
              <strong>{e.name}</strong>
            </a>
            <div className="muted">
              {e.venueName} · {eventDateTime(e.startsAt, e.timezone)} · {e.chartName}, {e.seatCount.toLocaleString('en-US')} seats
            </div>
          </li>
        ))}
      </ul>
      {list.data && list.data.items.length === 0 ? <p>No event has a seat map yet.</p> : null}
    </section>
  );
}

/** Applies one pushed change to the seats; unchanged seats keep their object, so they do not repaint. */
function applyChange(seats: MapSeat[], byTicket: Map<number, number>, c: SeatChange, me: string): MapSeat[] {
  let next: MapSeat[] | null = null;
  for (const t of c.ticketIds) {
    const i = byTicket.get(t);
    if (i === undefined) continue;
    const s = (next ?? seats)[i]!;
    const heldByMe = c.status === 'held' && c.holder === me;
    if (s.status === c.status && s.heldByMe === heldByMe) continue;
    next ??= seats.slice();
    next[i] = { ...s, status: c.status, heldByMe, holdExpiresAt: c.status === 'held' ? c.expiresAt : null };
  }
  return next ?? seats;
}

function EventSeatMap({ eventId }: { eventId: number }) {
  const me = useMemo(() => terminalId(), []);
  const client = useClient();
  const { setCart } = useCart();
  const store = useStoreStatus();
  // Live changes arrive by the feed while the map is open; what happened while it was closed, by a refetch on mount.
  const map = useOp('getSeatMap', { id: eventId, holder: me }, { staleTime: Infinity, refetchOnWindowFocus: false, refetchOnMount: 'always' });
  const [message, setMessage] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [quantity, setQuantity] = useState(2);
  const busy = useRef(new Set<number>());
  const data = map.data;
  const loaded = useMemo(() => (data ? seatsFromColumns(data.seats) : []), [data]);
  const byTicket = useMemo(() => new Map(loaded.map((s, i) => [s.ticketId ?? -1, i])), [loaded]);

  // The seats as changed since the map was (re)loaded; a new load replaces them in the same render.
  const [changed, setChanged] = useState<{ base: MapSeat[]; seats: MapSeat[] }>({ base: [], seats: [] });
  const seats = changed.base === loaded ? changed.seats : loaded;

  const apply = useCallback(
    (c: SeatChange) => setChanged((cur) => ({ base: loaded, seats: applyChange(cur.base === loaded ? cur.seats : loaded, byTicket, c, me) })),
    [loaded, byTicket, me],
  );
  const { refetch } = map;
  useEffect(() => followSeats(eventId, apply, () => void refetch()), [eventId, apply, refetch]);

  const fail = (e: unknown) => {
    if (e instanceof ClientError && (e.code === 'TICKET_UNAVAILABLE' || e.code === 'CONFLICT')) setMessage({ kind: 'error', text: e.message });
    else setError(e);
  };

  const onSeat = async (s: MapSeat) => {
    setError(null);
    if (s.ticketId === null || s.status === 'unavailable') return setMessage({ kind: 'error', text: `${seatName(s)} is not for sale.` });
    if (s.status === 'sold') return setMessage({ kind: 'error', text: `${seatName(s)} is already sold.` });
    const ticketId = s.ticketId;
    if (busy.current.has(ticketId)) return;
    busy.current.add(ticketId);
    try {
      if (s.heldByMe) {
        await client.releaseSeats({ id: eventId, ticketIds: [ticketId], holder: me });
        apply({ eventId, ticketIds: [ticketId], status: 'available', holder: null, expiresAt: null });
        setMessage({ kind: 'ok', text: `Released ${seatName(s)}.` });
      } else {
        // A seat held elsewhere is asked for anyway: the hold may have lapsed; the server has the last word.
        const r = await client.holdSeats({ id: eventId, ticketIds: [ticketId], holder: me });
        apply({ eventId, ticketIds: [ticketId], status: 'held', holder: me, expiresAt: r.holds[0]?.expiresAt ?? null });
        setMessage({ kind: 'ok', text: `Holding ${seatName(s)} for this terminal.` });
      }
    } catch (e) {
      fail(e);
    } finally {
      busy.current.delete(ticketId);
    }
  };

  const mine = seats.filter((s) => s.heldByMe);
  const total = mine.reduce((n, s) => n + (s.priceCents ?? 0), 0);

  // The held seats go to the Sell screen (tender, change, customer) as this terminal's holds.
  const sell = async () => {
    setError(null);
    try {
      const event = await client.getEvent({ id: eventId });
      const currency = data?.currency ?? 'USD';
      setCart({
        event,
        tickets: mine.map((s) => ({ id: s.ticketId!, section: s.section, row: s.row, seat: s.seat, priceCents: s.priceCents ?? 0, currency })),
        reason: null,
        holder: me,
      });
      navigate('/sell');
    } catch (e) {
      fail(e);
    }
  };
  const releaseAll = async () => {
    try {
      const r = await client.releaseSeats({ id: eventId, ticketIds: mine.map((s) => s.ticketId!), holder: me });
      apply({ eventId, ticketIds: r.released, status: 'available', holder: null, expiresAt: null });
      setMessage({ kind: 'ok', text: `Released ${r.released.length} seat(s).` });
    } catch (e) {
      fail(e);
    }
  };
  const best = async () => {
    setError(null);
    try {
      const b = await client.bestSeats({ id: eventId, quantity, holder: me });
      const r = await client.holdSeats({ id: eventId, ticketIds: b.ticketIds, holder: me });
      apply({ eventId, ticketIds: b.ticketIds, status: 'held', holder: me, expiresAt: r.holds[0]?.expiresAt ?? null });
      setMessage({ kind: 'ok', text: `Holding ${b.section} · Row ${b.row} · Seats ${b.seats.join(', ')} (${money(b.totalCents)}).` });
    } catch (e) {
      if (e instanceof ClientError && e.code === 'NOT_FOUND') setMessage({ kind: 'error', text: e.message });
      else fail(e);
    }
  };

  return (
    <section className="screen screen-fill">
      <div className="screen-head">
        <h1 tabIndex={-1}>{data ? data.eventName : 'Seat map'}</h1>
        {data ? (
          <span className="sub">
            {data.chart.name} · {data.chart.seatCount.toLocaleString('en-US')} seats · terminal <code data-testid="terminal-id">{me}</code>
          </span>
        ) : null}
        <a className="btn-link" href={href('/seats')}>
          All seat maps
        </a>
      </div>
      <ErrorNotice error={map.error ?? error} />
      {data ? (
        <div className="seatmap-layout">
          <SeatMapView data={data as SeatMapData} layout={loaded} seats={seats} onSeat={(s) => void onSeat(s)} />
          <aside className="panel seatmap-side" aria-label="Your holds">
            {/* Here, not above the map: a message appearing there would move every seat under the pointer. */}
            {message ? (
              <div className={`notice ${message.kind === 'error' ? 'notice-error' : 'notice-ok'}`} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="seat-message">
                {message.text}
              </div>
            ) : null}
            <SeatLegend data={data as SeatMapData} />
            <h2>Held by this terminal</h2>
            {mine.length === 0 ? <p className="muted">Click a seat to hold it; click again to release.</p> : null}
            <ul data-testid="my-holds">
              {mine.map((s) => (
                <li key={s.seatId}>
                  {seatName(s)} · {money(s.priceCents)}
                </li>
              ))}
            </ul>
            {mine.length > 0 ? (
              <div className="field-row">
                <button type="button" className="btn btn-primary" disabled={!store.canSell} onClick={() => void sell()}>
                  Sell {mine.length} seat(s) · {money(total)}
                </button>
                <button type="button" className="btn" onClick={() => void releaseAll()}>
                  Release all
                </button>
              </div>
            ) : null}
            <h2>Best seats together</h2>
            <div className="field-row">
              <label className="field">
                <span>Seats</span>
                <input type="number" min={1} max={20} value={quantity} onChange={(e) => setQuantity(Math.max(1, Math.min(20, Number(e.target.value) || 1)))} />
              </label>
              <button type="button" className="btn" onClick={() => void best()}>
                Hold best {quantity}
              </button>
            </div>
          </aside>
        </div>
      ) : map.isLoading ? (
        <p className="muted">Loading the seat map…</p>
      ) : null}
    </section>
  );
}
