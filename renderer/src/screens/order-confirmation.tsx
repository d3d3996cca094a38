import { useOp } from '../client/index.js';
import { OrderActions } from '../auth/order-actions.js';
import { ErrorNotice } from '../components/error-notice.js';
import { useQrDataUrl } from '../components/qr-image.js';
import { Button } from '../components/ui.js';
import { eventDateTime, instant, money } from '../format.js';
import { href, useRoute } from '../router.js';

export function OrderConfirmation({ code }: { code: string }) {
  const { query } = useRoute();
  const justSold = query.get('sold') === '1';
  const order = useOp('getOrder', { code });
  const o = order.data;
  const qr = useQrDataUrl(o?.code);
  const cash = o?.payments.find((p) => p.tender === 'cash');
  const first = o?.lines[0];

  return (
    <section className="screen">
      <div className="screen-head no-print">
        <a className="btn" href={href('/orders')}>
          ← Orders
        </a>
        <h1>{justSold ? 'Sale complete' : 'Order'}</h1>
        <span className="spacer" />
        <div className="actions">
          <Button variant="primary" onPress={() => window.print()} isDisabled={!o}>
            Print
          </Button>
          <Button onPress={() => window.print()} isDisabled={!o} aria-describedby="pdf-hint">
            Save as PDF
          </Button>
          {o && o.status === 'completed' ? (
            <a className="btn" href={href(`/orders/${o.code}/tickets`)} data-testid="print-tickets-link">
              Print tickets
            </a>
          ) : null}
          <a className="btn" href={href('/events')}>
            Next sale
          </a>
        </div>
      </div>
      <p id="pdf-hint" className="muted no-print">
        Save as PDF: choose “Save as PDF” as the printer in the print dialog.
      </p>
      <ErrorNotice error={order.error} />
      {order.isPending ? <p className="muted">Loading order…</p> : null}
      {o ? <OrderActions code={o.code} status={o.status} /> : null}
      {justSold && cash && cash.changeDueCents !== null ? (
        <div className="notice notice-ok no-print" role="status" data-testid="change-notice">
          Give change: <span style={{ fontSize: '1.3rem' }}>{money(cash.changeDueCents, o?.currency)}</span> (tendered {money(cash.tenderedCents, o?.currency)})
        </div>
      ) : null}
      {o ? (
        <article className="receipt" aria-label={`Order ${o.code}`} data-testid="receipt">
          <div className="receipt-head">
            <div>
              <div className="muted">Marquee box office · order</div>
              <div className="receipt-code" data-testid="order-code">
                {o.code}
              </div>
              <div className="muted">
                {instant(o.createdAt)} · {o.customer?.name ?? o.customer?.email ?? 'Walk-in'}
              </div>
              {first ? (
                <div style={{ marginTop: 12 }}>
                  <div className="event-name" data-testid="receipt-event">
                    {first.eventName}
                  </div>
                  <div>
                    {first.venueName}, {first.city}
                  </div>
                  <div>{eventDateTime(first.startsAt)}</div>
                </div>
              ) : null}
            </div>
            {qr ? <img className="receipt-qr" src={qr} alt={`QR code of order ${o.code}`} data-testid="order-qr" /> : <div className="receipt-qr" />}
          </div>
          {o.lines.map((l) => (
            <div className="ticket-stub" key={l.ticketId} data-testid="receipt-line">
              <div className="stub-seat">
                Section {l.section} · Row {l.row}
                {l.seat ? ` · Seat ${l.seat}` : ''}
              </div>
              <div className="stub-seat">{money(l.priceCents, o.currency)}</div>
              {l.eventId !== first?.eventId ? (
                <div className="muted">
                  {l.eventName} · {l.venueName} · {eventDateTime(l.startsAt)}
                </div>
              ) : null}
            </div>
          ))}
          <div className="total-row">
            <span>Total</span>
            <span>{money(o.totalCents, o.currency)}</span>
          </div>
          {o.payments.map((p, i) => (
            <div key={i} className="muted">
              Paid {p.tender}
              {p.tender === 'cash' && p.tenderedCents !== null ? ` · tendered ${money(p.tenderedCents, o.currency)} · change ${money(p.changeDueCents ?? 0, o.currency)}` : ''}
              {p.tender === 'comp' ? ' (complimentary)' : ''}
            </div>
          ))}
        </article>
      ) : null}
    </section>
  );
}
