/** One committed seat change, as the core's change feed publishes it (electron/core/live/change-feed.ts). */
export interface SeatChange {
  eventId: number;
  ticketIds: number[];
  status: 'available' | 'held' | 'sold';
  holder: string | null;
  expiresAt: string | null;
}

interface ElectronSeatEvents {
  onSeatChange?: (cb: (change: SeatChange) => void) => () => void;
}

/** This window's terminal id: what it holds seats as. Per tab (sessionStorage), so two windows are two terminals. */
export function terminalId(): string {
  const key = 'marquee.terminal';
  try {
    const existing = sessionStorage.getItem(key);
    if (existing) return existing;
    const id = `term-${crypto.randomUUID().slice(0, 8)}`;
    sessionStorage.setItem(key, id);
    return id;
  } catch {
    return 'kiosk';
  }
}

/**
 * Follows an event's seat changes: Electron's preload (window.marqueeEvents.onSeatChange, pushed
 * from main over IPC) when present, else Server-Sent Events from the local server (same-origin
 * session cookie). `onResync` runs after a reconnect, when changes may have been missed.
 */
export function followSeats(eventId: number, onChange: (c: SeatChange) => void, onResync: () => void): () => void {
  const electron = (globalThis as { marqueeEvents?: ElectronSeatEvents }).marqueeEvents;
  if (typeof electron?.onSeatChange === 'function') {
    return electron.onSeatChange((c) => {
      if (c.eventId === eventId) onChange(c);
    });
  }
  if (typeof EventSource === 'undefined') return () => undefined;
  const source = new EventSource(`/api/v1/events/${eventId}/live`);
  let opened = false;
  source.addEventListener('ready', () => {
    if (opened) onResync();
    opened = true;
  });
  source.addEventListener('resync', () => onResync());
  source.addEventListener('seats', (e) => {
    try {
      onChange(JSON.parse((e as MessageEvent<string>).data) as SeatChange);
    } catch {
      onResync();
    }
  });
  return () => source.close();
}
