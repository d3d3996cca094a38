import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { flushSync } from 'react-dom';
import type { OpOutput } from '../../../shared/operations/index.js';
import { useAuth } from '../auth/auth-context.js';
import { transport, useOp, useOpMutation } from '../client/index.js';
import { ErrorNotice } from '../components/error-notice.js';
import { useQrDataUrl } from '../components/qr-image.js';
import { Button } from '../components/ui.js';
import { eventDateTime, money } from '../format.js';
import { href } from '../router.js';

type Ticket = OpOutput<'getTicketCodes'>['items'][number];

export const reprintLabel = (printedBefore: number) => `Reprint — printed ${printedBefore} time${printedBefore === 1 ? '' : 's'} before`;

/** #/orders/:code/tickets: the order's tickets, one a printed page, each with the QR of its signed code. */
export function OrderTickets({ code }: { code: string }) {
  const { can } = useAuth();
  const qc = useQueryClient();
  const codes = useOp('getTicketCodes', { code });
  const record = useOpMutation('recordTicketPrint');
  const pdf = useOpMutation('saveTicketsPdf');
  // While printing: the count before this print, so the paper says whether it is a reprint.
  const [printing, setPrinting] = useState<number | null>(null);
  const data = codes.data;
  const printedBefore = printing ?? data?.printed ?? 0;
  const desktop = transport() === 'ipc';
  const busy = record.isPending || pdf.isPending;

  /** Every print is logged first (the log counts reprints); then the page goes to paper or to a PDF. */
  const print = async (to: 'paper' | 'pdf') => {
    pdf.reset();
    const r = await record.mutateAsync({ code }).catch(() => null);
    if (!r) return;
    flushSync(() => setPrinting(r.printedBefore));
    try {
      if (to === 'paper') window.print();
      else await pdf.mutateAsync({ code }).catch(() => undefined);
    } finally {
      setPrinting(null);
      void qc.invalidateQueries({ queryKey: ['getTicketCodes'] });
    }
  };

  return (
    <section className="screen">
      <div className="screen-head no-print">
        <a className="btn" href={href(`/orders/${code}`)}>
          ← Order
        </a>
        <h1>Tickets</h1>
        <span className="spacer" />
        {can('sell') ? (
          <div className="actions">
            <Button variant="primary" onPress={() => void print('paper')} isDisabled={!data || data.items.length === 0 || busy}>
              Print
            </Button>
            {desktop ? (
              <Button onPress={() => void print('pdf')} isDisabled={!data || data.items.length === 0 || busy}>
                Save PDF
              </Button>
            ) : null}
          </div>
        ) : null}
      </div>
      <p className="muted no-print" data-testid="print-hint">
        One ticket a page. {desktop ? 'Save PDF writes the same pages to a file.' : 'To keep a PDF, print and choose “Save as PDF” as the printer in the print dialog.'} Every print is
        logged; a reprint says so on the ticket.
      </p>
      <ErrorNotice error={codes.error ?? record.error ?? pdf.error} />
      {pdf.data?.saved ? (
        <div className="notice notice-ok no-print" role="status" data-testid="pdf-saved">
          Saved {pdf.data.path}
        </div>
      ) : null}
      {codes.isPending ? <p className="muted">Loading tickets…</p> : null}
      {data && data.items.length === 0 ? (
        <div className="notice notice-warn" role="status">
          Order {data.orderCode} has no live tickets to print (refunded or cancelled).
        </div>
      ) : null}
      {data && printedBefore > 0 ? (
        <div className="notice notice-warn no-print" role="status" data-testid="reprint-label">
          {reprintLabel(printedBefore)}
        </div>
      ) : null}
      {data ? (
        <div className="print-tickets">
          {data.items.map((t, i) => (
            <PrintedTicket key={t.saleId} ticket={t} orderCode={data.orderCode} currency={data.currency} n={i + 1} of={data.items.length} printedBefore={printedBefore} />
          ))}
        </div>
      ) : null}
    </section>
  );
}

function PrintedTicket({ ticket: t, orderCode, currency, n, of, printedBefore }: { ticket: Ticket; orderCode: string; currency: string; n: number; of: number; printedBefore: number }) {
  const qr = useQrDataUrl(t.code);
  return (
    <article className="print-ticket" aria-label={`Ticket ${n} of ${of}`} data-testid="printed-ticket">
      <div className="print-ticket-main">
        <div className="muted">
          Marquee box office · ticket {n} of {of}
          {printedBefore > 0 ? <strong className="reprint-mark"> · REPRINT</strong> : null}
        </div>
        <div className="print-ticket-event" data-testid="ticket-event">
          {t.eventName}
        </div>
        <div data-testid="ticket-venue">
          {t.venueName}, {t.city}
        </div>
        <div className="print-ticket-when" data-testid="ticket-when">
          {eventDateTime(t.startsAt, t.timezone)}
        </div>
        <dl className="print-ticket-seat">
          <div>
            <dt>Section</dt>
            <dd data-testid="ticket-section">{t.section}</dd>
          </div>
          <div>
            <dt>Row</dt>
            <dd data-testid="ticket-row">{t.row}</dd>
          </div>
          <div>
            <dt>Seat</dt>
            <dd data-testid="ticket-seat">{t.seat ?? 'GA'}</dd>
          </div>
          <div>
            <dt>Price</dt>
            <dd data-testid="ticket-price">{money(t.priceCents, currency)}</dd>
          </div>
        </dl>
        <div className="muted">
          Order <span className="mono">{orderCode}</span>
        </div>
      </div>
      <div className="print-ticket-code">
        {qr ? <img className="print-ticket-qr" src={qr} alt={`QR code of ticket ${n}`} data-testid="ticket-qr" /> : <div className="print-ticket-qr" />}
        <div className="mono print-ticket-display" data-testid="ticket-display">
          {/* Lines break between groups of four only, never inside one: it is read aloud and typed. */}
          {t.display.split('-').map((group, i) => (
            <span key={i}>
              {i > 0 ? '-' : ''}
              {i > 0 ? <wbr /> : null}
              {group}
            </span>
          ))}
        </div>
      </div>
    </article>
  );
}
