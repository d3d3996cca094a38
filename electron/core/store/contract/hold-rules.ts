import { AppError, notFound } from '../../../../shared/errors.js';

/** The rules of holds that both engines apply, so a refused hold reads the same at every terminal. */

export const isLive = (expiresAt: string | null, now: string) => expiresAt === null || expiresAt > now;

const unavailable = (ticketId: number, reason: 'sold' | 'held' | 'reserved' | 'void', message: string) =>
  new AppError('TICKET_UNAVAILABLE', message, { ticketIds: [ticketId], ticketId, reason });

interface TicketState {
  event_id: number;
  status: string;
  section: string;
  row: string;
  seat: string | null;
}

interface HoldState {
  expires_at: string | null;
  reservation_id: number | null;
}

/** Why a ticket could not be held (its state as read after the guarded UPDATE changed nothing). */
export function holdRefusal(eventId: number, ticketId: number, t: TicketState | undefined, h: HoldState | undefined, now: string): AppError {
  if (!t || Number(t.event_id) !== eventId) return notFound(`ticket of event ${eventId}:`, ticketId);
  const label = t.seat ? `Seat ${t.section}-${t.row}-${t.seat}` : `Ticket ${ticketId}`;
  if (t.status === 'sold') return unavailable(ticketId, 'sold', `${label} is already sold`);
  if (t.status === 'void') return unavailable(ticketId, 'void', `${label} is not for sale`);
  if (h?.reservation_id !== null && h?.reservation_id !== undefined) return unavailable(ticketId, 'reserved', `${label} is reserved`);
  if (h && isLive(h.expires_at, now)) {
    const minutes = h.expires_at === null ? null : Math.max(1, Math.ceil((Date.parse(h.expires_at) - Date.parse(now)) / 60000));
    return unavailable(ticketId, 'held', `${label} is held at another terminal${minutes === null ? '' : ` (for up to ${minutes} more min)`}`);
  }
  return unavailable(ticketId, 'held', `${label} changed while you clicked; try again`);
}

/** Why a release was refused, or null when there is nothing to release (releasing twice is harmless). */
export function releaseRefusal(ticketId: number, h: HoldState | undefined, now: string): AppError | null {
  if (!h || !isLive(h.expires_at, now)) return null;
  return new AppError(
    'CONFLICT',
    h.reservation_id !== null ? `Ticket ${ticketId} belongs to reservation ${h.reservation_id}; cancel that instead` : `Ticket ${ticketId} is held at another terminal; only that terminal can release it`,
    { ticketId },
  );
}
