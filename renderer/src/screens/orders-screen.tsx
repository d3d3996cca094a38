import { useState, type FormEvent } from 'react';
import { useOp } from '../client/index.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Button } from '../components/ui.js';
import { instant, money } from '../format.js';
import { href, navigate, useRoute } from '../router.js';
import { OrderConfirmation } from './order-confirmation.js';
import { OrderTickets } from './order-tickets.js';

/** #/orders (recent orders, lookup), #/orders/:code (the printable confirmation) and #/orders/:code/tickets (one ticket a page). */
export function OrdersScreen() {
  const { rest } = useRoute();
  if (rest[0] && rest[1] === 'tickets') return <OrderTickets key={rest[0]} code={rest[0]} />;
  if (rest[0]) return <OrderConfirmation key={rest[0]} code={rest[0]} />;
  return <OrderList />;
}

function OrderList() {
  const { query } = useRoute();
  const q = query.get('q') ?? '';
  const [text, setText] = useState(q);
  const [seenQ, setSeenQ] = useState(q);
  if (q !== seenQ) {
    setSeenQ(q);
    setText(q);
  }
  const orders = useOp('listOrders', { ...(q ? { q } : {}), limit: 50 });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate('/orders', { q: text.trim() });
  };

  return (
    <section className="screen">
      <div className="screen-head">
        <h1>Orders</h1>
        <span className="sub">Recent sales; look one up by its code, or the customer&apos;s name or email.</span>
      </div>
      <form className="panel field-row" role="search" aria-label="Find orders" onSubmit={submit}>
        <label className="field" style={{ flexGrow: 3 }}>
          <span>Order code, name or email</span>
          <input name="q" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" placeholder="e.g. MQ-7K2F…" />
        </label>
        <Button type="submit" variant="primary">
          Find
        </Button>
        {q ? (
          <Button
            onPress={() => {
              setText('');
              navigate('/orders');
            }}
          >
            Show recent
          </Button>
        ) : null}
      </form>
      <ErrorNotice error={orders.error} />
      {orders.isPending ? <p className="muted">Loading orders…</p> : null}
      {orders.data && orders.data.items.length === 0 ? <p className="muted">{q ? `No order matches “${q}”.` : 'No orders yet.'}</p> : null}
      {orders.data && orders.data.items.length > 0 ? (
        <table className="table" aria-label={q ? 'Matching orders' : 'Recent orders'}>
          <thead>
            <tr>
              <th>Code</th>
              <th>When</th>
              <th>Customer</th>
              <th>Channel</th>
              <th className="num">Tickets</th>
              <th className="num">Total</th>
            </tr>
          </thead>
          <tbody>
            {orders.data.items.map((o) => (
              <tr key={o.id} className="clickable" onClick={() => navigate(`/orders/${encodeURIComponent(o.code)}`)}>
                <td>
                  <a href={href(`/orders/${encodeURIComponent(o.code)}`)} className="receipt-link">
                    <strong>{o.code}</strong>
                  </a>
                </td>
                <td>{instant(o.createdAt)}</td>
                <td>{o.customerName ?? o.customerEmail ?? <span className="muted">Walk-in</span>}</td>
                <td>{o.channel}</td>
                <td className="num">{o.ticketCount}</td>
                <td className="num">{money(o.totalCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
