import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useOp, useOpMutation } from '../client/index.js';
import { eventDateTime, seatLabel } from '../format.js';
import { ErrorNotice } from './error-notice.js';
import { Button, SelectField } from './ui.js';

const clock = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
// Doors open for an hour or two: refresh while the organizer watches, no push feed needed.
const LIVE = { refetchInterval: 10_000 } as const;
const S = {
  head: { display: 'flex', alignItems: 'flex-end', gap: 12, flexWrap: 'wrap', marginBottom: 8 },
  kpi: { fontSize: '1.6rem', fontVariantNumeric: 'tabular-nums' },
  box: { width: '100%', height: 240 },
} as const;

/** Organizer's view of the doors (issue 13): checked in against sold, arrivals over time, undo a scan. */
export function DoorArrivals() {
  const events = useOp('listDoorEvents', {});
  const [picked, setPicked] = useState<number | null>(null);
  const [bucketMinutes, setBucket] = useState(15);
  const items = events.data?.items ?? [];
  const event = items.find((e) => e.id === picked) ?? items[0];
  const id = event?.id ?? 0;
  const counts = useOp('checkInCounts', { id, bucketMinutes }, { enabled: id > 0, ...LIVE });
  const recent = useOp('listCheckIns', { id, limit: 8 }, { enabled: id > 0, ...LIVE });
  const qc = useQueryClient();
  const undo = useOpMutation('undoCheckIn', {
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['checkInCounts'] });
      void qc.invalidateQueries({ queryKey: ['listCheckIns'] });
    },
  });

  const c = counts.data;
  const bars = (c?.buckets ?? []).map((b) => ({ at: clock(b.start), count: b.count }));
  return (
    <div className="panel" aria-labelledby="door-title" data-testid="door-arrivals">
      <div style={S.head}>
        <h2 id="door-title">At the door</h2>
        <SelectField label="Event" value={event ? String(event.id) : ''} onChange={(e) => setPicked(Number(e.target.value))}>
          {items.map((ev) => (
            <option key={ev.id} value={ev.id}>
              {ev.name} — {eventDateTime(ev.startsAt)}
            </option>
          ))}
        </SelectField>
        <SelectField label="Arrivals per" value={String(bucketMinutes)} onChange={(e) => setBucket(Number(e.target.value))}>
          {[5, 15, 30, 60].map((m) => (
            <option key={m} value={m}>
              {m} min
            </option>
          ))}
        </SelectField>
        <div>
          <span className="muted">Checked in / sold</span>
          <br />
          <strong style={S.kpi} data-testid="door-checked-in">
            {c ? `${c.checkedIn.toLocaleString('en-US')} / ${c.sold.toLocaleString('en-US')}` : '…'}
          </strong>
          {c && c.sold > 0 ? <span className="muted"> ({Math.round((100 * c.checkedIn) / c.sold)}%)</span> : null}
        </div>
      </div>
      <ErrorNotice error={events.error ?? counts.error ?? recent.error ?? undo.error} />
      {events.isSuccess && items.length === 0 ? <p className="muted">No events from yesterday on.</p> : null}
      {c && bars.length === 0 ? <p className="muted">Nobody has been scanned in yet.</p> : null}
      {bars.length > 0 ? (
        <div style={S.box} role="img" aria-label={`Arrivals per ${bucketMinutes} minutes: ${bars.map((b) => `${b.at} ${b.count}`).join(', ')}`}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={bars} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
              <XAxis dataKey="at" tick={{ fontSize: 12 }} minTickGap={12} />
              <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={48} />
              <Tooltip />
              <Bar dataKey="count" name="Arrivals" fill="#166534" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      ) : null}
      {recent.data && recent.data.items.length > 0 ? (
        <table className="table" aria-label="Latest scans">
          <thead>
            <tr>
              <th>Time</th>
              <th>Seat</th>
              <th>Door</th>
              <th>By</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {recent.data.items.map((ci) => (
              <tr key={ci.id}>
                <td>{clock(ci.at)}</td>
                <td>{seatLabel(ci)}</td>
                <td>{ci.door}</td>
                <td>{ci.username ?? '—'}</td>
                <td>
                  {ci.undoneAt ? (
                    <span className="muted">undone {clock(ci.undoneAt)}</span>
                  ) : (
                    <Button variant="link" isDisabled={undo.isPending} onPress={() => undo.mutate({ id: ci.id })} aria-label={`Undo check-in of ${seatLabel(ci)}`}>
                      Undo
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
