import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { OpOutput } from '../../../shared/operations/index.js';
import { useClient, useOp } from '../client/index.js';
import { ToggleButton } from 'react-aria-components';
import { CameraScanner, cameraAvailable } from '../components/camera-scanner.js';
import { ErrorNotice, plainError } from '../components/error-notice.js';
import { SelectField } from '../components/ui.js';
import { eventDateTime } from '../format.js';

type Answer = OpOutput<'checkIn'>;
type Seat = { section: string; row: string; seat: string | null };
type Shown = { id: number; code: string; tone: 'admit' | 'refuse'; title: string; detail: string };

const DOOR_KEY = 'marquee.door.name';
const EVENT_KEY = 'marquee.door.event';

function remembered(key: string, fallback: string): string {
  try {
    return localStorage.getItem(key) ?? fallback;
  } catch {
    return fallback;
  }
}
function remember(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // A locked-down profile without storage still scans; it just forgets the door on reload.
  }
}

// Plain words, no dots: the answer is read from a metre away.
const seatWords = (t: Seat) => `Sec ${t.section} Row ${t.row}${t.seat ? ` Seat ${t.seat}` : ''}`;
/** The server sends UTC instants; the door staff think in local wall time. */
const clock = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });

function show(a: Answer): Pick<Shown, 'tone' | 'title' | 'detail'> {
  if (a.result === 'admitted') return { tone: 'admit', title: `Admit 1 — ${seatWords(a.ticket)}`, detail: a.ticket.eventName };
  const seat = a.ticket ? seatWords(a.ticket) : '';
  switch (a.reason) {
    case 'already-checked-in': {
      const p = a.previous;
      return {
        tone: 'refuse',
        title: p ? `Already scanned at ${clock(p.at)} by ${p.door}` : 'Already scanned',
        detail: [seat, p?.username ? `scanned by ${p.username}` : ''].filter(Boolean).join(' · '),
      };
    }
    case 'wrong-event':
      return { tone: 'refuse', title: 'Not valid for this event', detail: a.ticket ? `Ticket is for ${a.ticket.eventName} · ${seat}` : '' };
    case 'refunded':
      return { tone: 'refuse', title: 'Refunded', detail: seat };
    case 'voided':
      return { tone: 'refuse', title: 'Sale voided', detail: seat };
    case 'not-sold':
      return { tone: 'refuse', title: 'Ticket was never sold', detail: seat };
    default:
      return { tone: 'refuse', title: 'Not a valid code', detail: 'Check the ticket by eye or send the guest to the box office.' };
  }
}

/**
 * Door check-in (issue 13). Keyboard-wedge scanners type the code and press Enter into the one
 * focused field; the answer fills the width in green or red so it reads from a metre away. Where the
 * browser gives this page a camera, "Use camera" scans QR codes through the same check-in path.
 */
export function DoorScreen() {
  const client = useClient();
  const events = useOp('listDoorEvents', {});
  const [door, setDoor] = useState(() => remembered(DOOR_KEY, 'Door 1'));
  const [eventId, setEventId] = useState(() => remembered(EVENT_KEY, ''));
  const [code, setCode] = useState('');
  const [history, setHistory] = useState<Shown[]>([]);
  const [error, setError] = useState<unknown>(null);
  const input = useRef<HTMLInputElement>(null);
  const [camera, setCamera] = useState(false);
  const canUseCamera = cameraAvailable();
  const seq = useRef(0);

  const items = events.data?.items ?? [];
  const current = items.find((e) => String(e.id) === eventId) ?? items[0];
  useEffect(() => {
    if (current && String(current.id) !== eventId) setEventId(String(current.id));
  }, [current, eventId]);
  // autoFocus misses while the field waits (disabled) for the event list: focus once it can scan.
  const ready = current !== undefined;
  useEffect(() => {
    if (ready) input.current?.focus();
  }, [ready]);

  /** The one check-in path: the keyboard-wedge field and the camera both end here. */
  const checkIn = async (text: string) => {
    if (!text || !current) return;
    setError(null);
    try {
      const answer = await client.checkIn({ code: text, door: door.trim() || 'Door', eventId: current.id });
      const id = ++seq.current;
      setHistory((h) => [{ id, code: text, ...show(answer) }, ...h].slice(0, 6));
    } catch (err) {
      setError(err);
    } finally {
      input.current?.focus();
    }
  };
  const scan = (e: FormEvent) => {
    e.preventDefault();
    const text = code.trim();
    // Clear at once: the next guest's scan may arrive before this answer does.
    setCode('');
    input.current?.focus();
    void checkIn(text);
  };

  const last = history[0];
  return (
    <section className="screen door">
      <div className="screen-head">
        <h1>Door check-in</h1>
        <span className="sub">Scan a ticket, or type its code and press Enter.</span>
      </div>

      <div className="panel field-row door-setup" role="group" aria-label="This door">
        <SelectField
          label="Event"
          value={current ? String(current.id) : ''}
          onChange={(e) => {
            setEventId(e.target.value);
            remember(EVENT_KEY, e.target.value);
            setHistory([]);
            input.current?.focus();
          }}
        >
          {items.map((ev) => (
            <option key={ev.id} value={ev.id}>
              {ev.name} — {eventDateTime(ev.startsAt)} — {ev.venueName}
            </option>
          ))}
        </SelectField>
        <label className="field door-name">
          <span>Door</span>
          <input
            value={door}
            maxLength={40}
            onChange={(e) => {
              setDoor(e.target.value);
              remember(DOOR_KEY, e.target.value);
            }}
          />
        </label>
      </div>
      <ErrorNotice error={events.error} />
      {events.isSuccess && items.length === 0 ? <p className="notice notice-warn">No events from yesterday on: nothing to admit to.</p> : null}

      <form onSubmit={scan} className="door-scan" aria-label="Scan">
        <label className="field">
          <span>Ticket code</span>
          <input
            ref={input}
            className="door-code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoFocus
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            disabled={!current}
            aria-describedby="door-answer"
          />
        </label>
      </form>

      {canUseCamera ? (
        <div className="door-camera-row">
          <ToggleButton className="btn" isSelected={camera} onChange={setCamera} isDisabled={!current} data-testid="camera-toggle">
            {camera ? 'Stop camera' : 'Use camera'}
          </ToggleButton>
          <span className="muted">Scan the QR code with this device's camera instead of a scanner.</span>
        </div>
      ) : (
        <p className="muted" data-testid="camera-unavailable">
          Camera scanning needs a browser that can use a camera on this page (a desktop app window, or a browser at a localhost or https address).
        </p>
      )}

      <div className="door-live">
        <div id="door-answer" className={`door-answer ${error ? 'door-refuse' : last ? `door-${last.tone}` : 'door-idle'}`} role="status" aria-live="assertive" data-testid="door-answer">
          {error ? (
            <>
              <strong className="door-title">Could not check in</strong>
              <span className="door-detail">{plainError(error)}</span>
            </>
          ) : last ? (
            <>
              <strong className="door-title">{last.title}</strong>
              {last.detail ? <span className="door-detail">{last.detail}</span> : null}
            </>
          ) : (
            <strong className="door-title">Ready to scan</strong>
          )}
        </div>
        {/* Beside the answer, not above it: the answer stays in view while the camera runs. */}
        {camera && canUseCamera && current ? <CameraScanner onCode={(c) => void checkIn(c)} /> : null}
      </div>

      {history.length > 1 ? (
        <ol className="door-history" aria-label="Earlier scans">
          {history.slice(1).map((h) => (
            <li key={h.id} className={`door-${h.tone}`}>
              <span className="door-history-code">{h.code}</span> {h.title}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
