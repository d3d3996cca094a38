import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { parseMoneyToCents } from '../../../shared/money.js';
import type { OpInput } from '../../../shared/operations/index.js';
import { ClientError, useClient, useOpMutation, useStoreStatus } from '../client/index.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Button, Segmented, SelectField } from '../components/ui.js';
import { eventDateTime, money, quickCash, seatLabel } from '../format.js';
import { href, navigate } from '../router.js';
import { useCart } from '../sale-cart.js';
import { useShortcut } from '../shortcuts.js';

type Tender = 'cash' | 'card' | 'comp';
type SaleInput = OpInput<'createOrder'>;

const REFERRALS = ['', 'walk-up', 'phone', 'website', 'google', 'facebook', 'instagram', 'espn', 'radio', 'friend'];

/** Random per sale attempt; crypto.randomUUID needs a secure context, which 127.0.0.1 and Electron are. */
const newKey = () => (typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

/** The attempt's key survives a retry after a network failure (the server may have sold already), and only then. */
function useIdempotencyKey() {
  const ref = useRef<{ key: string; fingerprint: string; retryable: boolean } | null>(null);
  return {
    keyFor(fingerprint: string): string {
      const prev = ref.current;
      if (prev && prev.fingerprint === fingerprint && prev.retryable) return prev.key;
      ref.current = { key: newKey(), fingerprint, retryable: true };
      return ref.current.key;
    },
    settle(retryable: boolean) {
      if (ref.current) ref.current.retryable = retryable;
    },
  };
}

export function SellScreen() {
  const { cart, setCart } = useCart();
  const client = useClient();
  const qc = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const tenderedRef = useRef<HTMLInputElement>(null);
  const [tender, setTender] = useState<Tender>('cash');
  const [tenderedText, setTenderedText] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [referral, setReferral] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const idem = useIdempotencyKey();
  const store = useStoreStatus();

  const sale = useOpMutation('createOrder');
  const listingSale = useOpMutation('sellFromListing');
  const pending = sale.isPending || listingSale.isPending;
  const tickets = cart?.tickets ?? [];
  const listing = cart?.listing ?? null;
  const count = listing ? listing.quantity : tickets.length;
  const totalCents = tender === 'comp' ? 0 : listing ? listing.quantity * listing.priceCents : tickets.reduce((n, t) => n + t.priceCents, 0);
  const currency = listing?.currency ?? tickets[0]?.currency ?? 'USD';
  const tenderedCents = tenderedText.trim() === '' ? totalCents : parseMoneyToCents(tenderedText);
  const changeCents = tender === 'cash' && tenderedCents !== null ? tenderedCents - totalCents : null;

  useEffect(() => {
    // The clerk's next action is the cash amount; put the cursor there.
    if (cart && tender === 'cash') tenderedRef.current?.focus();
  }, [cart, tender]);

  const refreshTickets = () =>
    Promise.all(['listEventTickets', 'listEventListings', 'bestTicket', 'getEvent', 'searchEvents', 'listOrders', 'getSeatMap', 'listHolds'].map((k) => qc.invalidateQueries({ queryKey: [k] })));

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!cart || pending) return;
    setFormError(null);
    if (tender === 'cash') {
      if (tenderedCents === null) return setFormError('Write the cash handed over as an amount such as 50 or 42.50.');
      if (tenderedCents < totalCents) return setFormError(`Cash handed over is less than the total of ${money(totalCents, currency)}.`);
    }
    if (email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) return setFormError('That email address does not look right.');
    const customer = { ...(name.trim() ? { name: name.trim() } : {}), ...(email.trim() ? { email: email.trim() } : {}) };
    const payment = tender === 'cash' ? { tender, tenderedCents: tenderedCents ?? totalCents } : { tender };
    const eventId = cart.event.id;
    // Both kinds of sale end the same way; only the notice for "not all of it is there any more" differs.
    const handlers = (shortNotice: string) => ({
      onSuccess: async (res: { order: { code: string } }) => {
        idem.settle(false);
        setCart(null);
        await refreshTickets();
        navigate(`/orders/${encodeURIComponent(res.order.code)}`, { sold: 1 });
      },
      onError: async (err: Error) => {
        // No answer, or the store lost mid-sale: it may have been made, so the same key asks again (never sells twice).
        idem.settle(err instanceof ClientError && (err.code === 'NETWORK' || err.code === 'STORE_UNAVAILABLE'));
        if (err instanceof ClientError && err.code === 'TICKET_UNAVAILABLE') {
          setCart(null);
          await refreshTickets();
          navigate(`/events/${eventId}`, { notice: shortNotice });
        }
      },
    });
    if (cart.listing) {
      // N of one listing: the server picks which N and sells them under its locks, or says how many are left.
      const listingInput: OpInput<'sellFromListing'> = {
        id: cart.listing.listingId,
        quantity: cart.listing.quantity,
        ...(Object.keys(customer).length > 0 ? { customer } : {}),
        ...(referral ? { referral } : {}),
        payment,
      };
      // As for picked tickets: a retry after a network failure repeats the key, so it cannot sell twice.
      const idempotencyKey = idem.keyFor(JSON.stringify(listingInput));
      listingSale.mutate({ ...listingInput, idempotencyKey }, handlers('listing-short'));
      return;
    }
    const input: SaleInput = {
      ticketIds: cart.tickets.map((t) => t.id),
      ...(Object.keys(customer).length > 0 ? { customer } : {}),
      ...(referral ? { referral } : {}),
      // Seats this terminal holds on the seat map are sold from its holds; without the holder they read as taken.
      ...(cart.holder ? { holder: cart.holder } : {}),
      payment,
    };
    const idempotencyKey = idem.keyFor(JSON.stringify(input));
    sale.mutate({ ...input, idempotencyKey }, handlers('sold-elsewhere'));
  };

  // One key confirms from anywhere on the screen; Enter inside the form does the same.
  useShortcut('F9', () => {
    if (!cart) return false;
    formRef.current?.requestSubmit();
  });

  if (!cart || (cart.tickets.length === 0 && !cart.listing)) {
    return (
      <section className="screen">
        <h1>Sell</h1>
        <div className="panel">
          <p>No tickets picked yet. Find the event, then take the best ticket or pick tickets from the list.</p>
          <a className="btn btn-primary" href={href('/events')}>
            Find an event
          </a>
        </div>
      </section>
    );
  }

  const ev = cart.event;
  const removeLine = (id: number) => {
    const rest = cart.tickets.filter((t) => t.id !== id);
    setCart(rest.length ? { ...cart, tickets: rest } : null);
    // A seat taken from the seat map is held for this terminal: give it back now rather than when the hold
    // runs out. If that fails (already expired, network), the hold still ends on its own.
    if (cart.holder) void client.releaseSeats({ id: ev.id, ticketIds: [id], holder: cart.holder }).catch(() => undefined);
  };

  return (
    <section className="screen">
      <div className="screen-head">
        <a className="btn" href={href(cart.holder ? `/seats/${ev.id}` : `/events/${ev.id}`)}>
          {cart.holder ? '← Seat map' : '← Tickets'}
        </a>
        <h1>Sell</h1>
        <span className="sub">
          {ev.name} · {ev.venue.name}, {ev.venue.city} · {eventDateTime(ev.startsAt, ev.venue.timezone)}
        </span>
      </div>
      <form ref={formRef} className="sell-layout" onSubmit={submit} aria-label="Sale" noValidate>
        <div className="panel" style={{ display: 'flex', flexDirection: 'column', gap: 14 }}>
          <div>
            <h2>
              {count} ticket{count === 1 ? '' : 's'}
            </h2>
            {cart.reason ? <p className="muted">Best ticket: {cart.reason}</p> : null}
            <ul className="line-list" aria-label="Tickets in this sale">
              {listing ? (
                <li data-testid="sale-line" data-listing-id={listing.listingId}>
                  <span>
                    <strong data-testid="sale-quantity">{listing.quantity}</strong> × {seatLabel({ section: listing.section, row: listing.row, seat: null })}
                    <span className="muted"> · {listing.sellerName} · seats picked at sale</span>
                  </span>
                  <span className="spacer" />
                  <span className="muted">{money(listing.priceCents, listing.currency)} each</span>
                  <span>{money(listing.quantity * listing.priceCents, listing.currency)}</span>
                </li>
              ) : null}
              {tickets.map((t) => (
                <li key={t.id} data-testid="sale-line">
                  <span>{seatLabel(t)}</span>
                  <span className="spacer" />
                  <span>{money(t.priceCents, t.currency)}</span>
                  {tickets.length > 1 ? (
                    <Button variant="link" onPress={() => removeLine(t.id)} aria-label={`Remove ${seatLabel(t)}`}>
                      Remove
                    </Button>
                  ) : null}
                </li>
              ))}
            </ul>
            <div className="total-row">
              <span>Total</span>
              <span data-testid="sale-total">{money(totalCents, currency)}</span>
            </div>
            {tender === 'comp' ? <p className="muted">Complimentary: no charge.</p> : null}
          </div>
          <fieldset className="panel" style={{ border: '1px solid var(--line)', display: 'grid', gap: 10 }}>
            <legend className="field-label">Customer (optional: leave blank for a walk-in)</legend>
            <div className="field-row">
              <label className="field">
                <span>Name</span>
                <input name="customerName" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" placeholder="Walk-in" />
              </label>
              <label className="field">
                <span>Email</span>
                <input name="customerEmail" type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />
              </label>
            </div>
            <SelectField label="How did they hear of us? (referral)" name="referral" value={referral} onChange={(e) => setReferral(e.target.value)}>
              {REFERRALS.map((r) => (
                <option key={r} value={r}>
                  {r === '' ? 'Not asked' : r}
                </option>
              ))}
            </SelectField>
          </fieldset>
        </div>
        <div className="panel panel-accent" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
          <h2>Payment</h2>
          <Segmented
            label="Tender"
            value={tender}
            onChange={(t) => {
              setTender(t);
              setFormError(null);
            }}
            options={[
              { value: 'cash', label: 'Cash' },
              { value: 'card', label: 'Card' },
              { value: 'comp', label: 'Comp' },
            ]}
          />
          {tender === 'cash' ? (
            <>
              <label className="field">
                <span>Cash handed over ($)</span>
                <input
                  ref={tenderedRef}
                  name="tendered"
                  inputMode="decimal"
                  value={tenderedText}
                  onChange={(e) => setTenderedText(e.target.value)}
                  placeholder={money(totalCents, currency)}
                  autoComplete="off"
                  aria-describedby="change-due"
                />
              </label>
              <div className="segmented" role="group" aria-label="Quick cash amounts">
                {quickCash(totalCents).map((c) => (
                  <Button key={c} className="seg" onPress={() => setTenderedText((c / 100).toFixed(2))}>
                    {c === totalCents ? 'Exact' : money(c, currency)}
                  </Button>
                ))}
              </div>
              <div id="change-due" aria-live="polite">
                <span className="field-label">Change due</span>
                <div className="change-due" data-testid="change-due">
                  {changeCents === null || changeCents < 0 ? '—' : money(changeCents, currency)}
                </div>
              </div>
            </>
          ) : null}
          {tender === 'card' ? <p className="muted">Charge {money(totalCents, currency)} on the card terminal, then confirm.</p> : null}
          {formError ? (
            <div className="notice notice-error" role="alert">
              {formError}
            </div>
          ) : null}
          <ErrorNotice error={sale.error && !(sale.error.code === 'TICKET_UNAVAILABLE') ? sale.error : null} title={sale.error?.code === 'STORE_UNAVAILABLE' ? 'Not sold.' : undefined} />
          <ErrorNotice error={listingSale.error && !(listingSale.error.code === 'TICKET_UNAVAILABLE') ? listingSale.error : null} title={listingSale.error?.code === 'STORE_UNAVAILABLE' ? 'Not sold.' : undefined} />
          <Button type="submit" variant="primary" big isDisabled={pending || !store.canSell}>
            {pending ? 'Selling…' : store.canSell ? `Confirm sale · ${money(totalCents, currency)}` : 'Selling is paused (no database)'}
          </Button>
          <p className="kbd-hint">
            <kbd>Enter</kbd> or <kbd>F9</kbd> confirms · <kbd>Tab</kbd> moves between fields
          </p>
        </div>
      </form>
    </section>
  );
}
