import { useState } from 'react';
import type { OpOutput } from '../../../shared/operations/index.js';
import { ClientError, useOp, useStoreStatus } from '../client/index.js';
import { money, seatLabel } from '../format.js';
import { useShortcut } from '../shortcuts.js';
import { ErrorNotice } from './error-notice.js';
import { Button, Segmented } from './ui.js';

type Strategy = 'value' | 'cheapest' | 'closest';
type Best = OpOutput<'bestTicket'>;

const STRATEGIES: { value: Strategy; label: string }[] = [
  { value: 'value', label: 'Value' },
  { value: 'cheapest', label: 'Cheapest' },
  { value: 'closest', label: 'Closest' },
];

/** The answer to "what should I sell this customer?", one key away (F8). */
export function BestTicketPanel({ eventId, onTake }: { eventId: number; onTake: (best: Best) => void }) {
  const [strategy, setStrategy] = useState<Strategy>('value');
  const store = useStoreStatus();
  const [quantityText, setQuantityText] = useState('1');
  const quantity = Math.min(50, Math.max(1, Math.floor(Number(quantityText)) || 1));
  const best = useOp('bestTicket', { id: eventId, strategy, quantity }, { retry: false });
  const noneLeft = best.error instanceof ClientError && best.error.code === 'NOT_FOUND';
  const b = best.data;

  useShortcut('F8', () => {
    if (b) onTake(b);
    else return false;
  });

  return (
    <section className="panel panel-accent best" aria-labelledby="best-title" data-testid="best-ticket">
      <div className="best-title">
        <h2 id="best-title">Best ticket</h2>
        <span className="spacer" />
        <kbd>F8</kbd>
      </div>
      <Segmented label="Strategy" value={strategy} onChange={setStrategy} options={STRATEGIES} />
      <label className="field">
        <span>Quantity (together)</span>
        <input
          type="number"
          inputMode="numeric"
          min={1}
          max={50}
          value={quantityText}
          onChange={(e) => setQuantityText(e.target.value)}
          aria-describedby="best-reason"
        />
      </label>
      {best.isPending ? <p className="muted">Finding the best ticket…</p> : null}
      {noneLeft ? <div className="notice notice-warn">No {quantity > 1 ? `${quantity} tickets together` : 'tickets'} left for this event.</div> : null}
      {best.error && !noneLeft ? <ErrorNotice error={best.error} /> : null}
      {b ? (
        <>
          <div>
            <div className="best-price" data-testid="best-price">
              {money(b.priceCents, b.ticket.currency)}
              {b.tickets.length > 1 ? <span className="muted" style={{ fontSize: '1rem', fontWeight: 600 }}> each × {b.tickets.length}</span> : null}
            </div>
            <div className="best-seat" data-testid="best-seat">
              Sec {b.section} · Row {b.row}
              {b.tickets.some((t) => t.seat) ? ` · Seat${b.tickets.length > 1 ? 's' : ''} ${b.tickets.map((t) => t.seat ?? '—').join(', ')}` : ''}
            </div>
          </div>
          <p className="best-reason" id="best-reason" data-testid="best-reason">
            {b.reason}
          </p>
          <Button variant="primary" big isDisabled={!store.canSell} onPress={() => onTake(b)} aria-label={`Take best ticket: ${seatLabel(b.ticket)}`}>
            Take best ticket
          </Button>
        </>
      ) : null}
    </section>
  );
}
