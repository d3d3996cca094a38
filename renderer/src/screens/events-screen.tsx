import { useState, type FormEvent } from 'react';
import { useOp } from '../client/index.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Button } from '../components/ui.js';
import { eventDateTime, isoDay, money } from '../format.js';
import { href, navigate, useRoute } from '../router.js';
import { EventTicketsScreen } from './event-tickets-screen.js';

/** #/events (search) and #/events/:id (that event's tickets). */
export function EventsScreen() {
  const { rest } = useRoute();
  const id = Number(rest[0]);
  // Another event starts from fresh state: no selection or filters carried over from the last one.
  if (rest[0] !== undefined && Number.isInteger(id) && id > 0) return <EventTicketsScreen key={id} eventId={id} />;
  return <EventSearch />;
}

function EventSearch() {
  const { query } = useRoute();
  // The search lives in the URL, so Back returns to the same results.
  const applied = {
    q: query.get('q') ?? '',
    city: query.get('city') ?? '',
    from: query.get('from') ?? (query.has('all') ? '' : isoDay()),
    to: query.get('to') ?? '',
  };
  const [form, setForm] = useState(applied);
  // When the URL's search changes (Back, the nav link), the form follows it; focus stays where it is.
  const qs = query.toString();
  const [seenQs, setSeenQs] = useState(qs);
  if (qs !== seenQs) {
    setSeenQs(qs);
    setForm(applied);
  }
  const venues = useOp('listVenues', {});
  const cities = [...new Set((venues.data?.items ?? []).map((v) => v.city))].sort();
  const input = {
    ...(applied.q ? { q: applied.q } : {}),
    ...(applied.city ? { city: applied.city } : {}),
    ...(applied.from ? { from: applied.from } : {}),
    ...(applied.to ? { to: applied.to } : {}),
    limit: 200,
  };
  const events = useOp('searchEvents', input);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate('/events', { q: form.q.trim(), city: form.city.trim(), from: form.from, to: form.to, all: form.from ? undefined : '1' });
  };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  return (
    <section className="screen">
      <div className="screen-head">
        <h1>Events</h1>
        <span className="sub">Find the show, then sell from its ticket list.</span>
      </div>
      <form className="panel field-row" onSubmit={submit} role="search" aria-label="Search events">
        <label className="field" style={{ flexGrow: 2 }}>
          <span>Text</span>
          <input name="q" value={form.q} onChange={set('q')} placeholder="Event, venue or city" autoComplete="off" />
        </label>
        <label className="field">
          <span>City</span>
          <input name="city" value={form.city} onChange={set('city')} list="city-options" placeholder="Any city" autoComplete="off" />
          <datalist id="city-options">
            {cities.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </label>
        <label className="field">
          <span>From</span>
          <input name="from" type="date" value={form.from} onChange={set('from')} />
        </label>
        <label className="field">
          <span>To</span>
          <input name="to" type="date" value={form.to} onChange={set('to')} />
        </label>
        <Button type="submit" variant="primary">
          Search
        </Button>
        <Button
          type="button"
          onPress={() => {
            setForm({ q: '', city: '', from: '', to: '' });
            navigate('/events', { all: '1' });
          }}
        >
          Clear
        </Button>
      </form>
      <ErrorNotice error={events.error} />
      {events.isPending ? <p className="muted">Loading events…</p> : null}
      {events.data ? (
        <>
          <p className="muted" aria-live="polite">
            {events.data.items.length === 0 ? 'No events match. Try another city or a wider date range.' : `${events.data.items.length} event${events.data.items.length === 1 ? '' : 's'}`}
          </p>
          <ul className="event-list" aria-label="Events found">
            {events.data.items.map((ev) => (
              <li key={ev.id}>
                <a className="event-card" href={href(`/events/${ev.id}`)} data-testid="event-card">
                  <div>
                    <div className="event-name">{ev.name}</div>
                    <div className="event-meta">
                      {ev.venue.name}, {ev.venue.city} · {eventDateTime(ev.startsAt, ev.venue.timezone)}
                      {ev.status !== 'on_sale' ? ` · ${ev.status.replace('_', ' ')}` : ''}
                    </div>
                  </div>
                  <div className="event-stat">
                    <strong>{ev.ticketsAvailable}</strong>
                    <span className="muted">available</span>
                  </div>
                  <div className="event-stat">
                    <strong>{ev.minPriceCents === null ? '—' : money(ev.minPriceCents, 'USD')}</strong>
                    <span className="muted">lowest</span>
                  </div>
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
