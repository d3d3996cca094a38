import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent, type WheelEvent } from 'react';
import type { OpOutput } from '../../../../shared/operations/index.js';
import { money } from '../../format.js';

export type SeatMapData = OpOutput<'getSeatMap'>;
export type MapSeat = SeatMapData['seats'][number];

const ZONE_COLOURS = ['#15803d', '#0f766e', '#7c3aed', '#be185d', '#4d7c0f', '#0e7490', '#a21caf', '#9a3412'];
export const STATUS_COLOURS = { mine: '#1d4ed8', held: '#f59e0b', sold: '#4b5563', unavailable: '#d1d5db' } as const;
const R = 4;

export function zoneColours(zones: string[]): Map<string, string> {
  return new Map(zones.map((z, i) => [z, ZONE_COLOURS[i % ZONE_COLOURS.length]!]));
}

export const seatName = (s: Pick<MapSeat, 'section' | 'row' | 'seat'>) => `${s.section} · Row ${s.row} · Seat ${s.seat}`;

export function seatState(s: MapSeat): 'mine' | 'held' | 'sold' | 'unavailable' | 'available' {
  if (s.status === 'held') return s.heldByMe ? 'mine' : 'held';
  return s.status;
}

export function describeSeat(s: MapSeat): string {
  const state = { mine: 'held by you', held: 'held at another terminal', sold: 'sold', unavailable: 'not for sale', available: 'available' }[seatState(s)];
  const flags = [s.accessible ? 'accessible' : '', s.obstructed ? 'obstructed view' : '', s.aisle ? 'aisle' : ''].filter(Boolean).join(', ');
  return `${seatName(s)}: ${state}${s.priceCents === null ? '' : `, ${money(s.priceCents)}`} (${s.zone}${flags ? `; ${flags}` : ''})`;
}

/** One seat; memoised on the seat object, so a change repaints only the seats that changed. */
const Seat = memo(function Seat({ s, colour }: { s: MapSeat; colour: string }) {
  const state = seatState(s);
  return (
    <circle
      cx={s.x}
      cy={s.y}
      r={R}
      fill={state === 'available' ? colour : STATUS_COLOURS[state]}
      className={`seat seat-${state}`}
      data-ticket-id={s.ticketId ?? undefined}
      data-seat={`${s.section}|${s.row}|${s.seat}`}
      data-status={state}
    />
  );
});

const SeatLayer = memo(function SeatLayer({ seats, colours }: { seats: MapSeat[]; colours: Map<string, string> }) {
  return (
    <g shapeRendering="optimizeSpeed">
      {seats.map((s) => (
        <Seat key={s.seatId} s={s} colour={colours.get(s.zone) ?? '#15803d'} />
      ))}
    </g>
  );
});

/**
 * Big charts (a stadium) are drawn as one <path> per colour instead of one <circle> per seat: tens of
 * thousands of elements cost seconds of style and layout on open, a handful of paths do not. Clicks
 * and tooltips then find the seat from the pointer position (useSeatFinder).
 */
export const DOM_SEAT_LIMIT = 4000;

const PathLayer = memo(function PathLayer({ seats, colours }: { seats: MapSeat[]; colours: Map<string, string> }) {
  const groups = new Map<string, { fill: string; state: string; d: string[] }>();
  for (const s of seats) {
    const state = seatState(s);
    const fill = state === 'available' ? (colours.get(s.zone) ?? '#15803d') : STATUS_COLOURS[state];
    const key = `${state}|${fill}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { fill, state, d: [] }));
    g.d.push(`M${s.x - R} ${s.y}a${R} ${R} 0 1 0 ${2 * R} 0a${R} ${R} 0 1 0 ${-2 * R} 0`);
  }
  return (
    <g shapeRendering="optimizeSpeed">
      {[...groups].map(([key, g]) => (
        <path key={key} d={g.d.join('')} fill={g.fill} className={`seat-layer seat-${g.state}`} />
      ))}
    </g>
  );
});

/** Nearest seat to a point of the drawing, through a grid of 2-seat cells (the positions never change). */
function useSeatFinder(seats: MapSeat[]) {
  return useMemo(() => {
    const cell = 20;
    const grid = new Map<string, number[]>();
    seats.forEach((s, i) => {
      const k = `${Math.floor(s.x / cell)},${Math.floor(s.y / cell)}`;
      const list = grid.get(k);
      if (list) list.push(i);
      else grid.set(k, [i]);
    });
    return (x: number, y: number): number | undefined => {
      let best: number | undefined;
      let bestD = (R * 1.4) ** 2;
      const cx = Math.floor(x / cell);
      const cy = Math.floor(y / cell);
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          for (const i of grid.get(`${cx + dx},${cy + dy}`) ?? []) {
            const d = (seats[i]!.x - x) ** 2 + (seats[i]!.y - y) ** 2;
            if (d < bestD) [best, bestD] = [i, d];
          }
        }
      }
      return best;
    };
  }, [seats]);
}

interface ViewBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Neighbours for arrow keys: left/right along the row, up/down to the nearest seat of the next row of the section. */
function useNeighbours(seats: MapSeat[]) {
  return useMemo(() => {
    const rows = new Map<string, number[]>();
    const rowOrder = new Map<string, string[]>();
    seats.forEach((s, i) => {
      const key = `${s.section}\u0000${s.row}`;
      const list = rows.get(key);
      if (list) list.push(i);
      else {
        rows.set(key, [i]);
        const order = rowOrder.get(s.section) ?? [];
        order.push(s.row);
        rowOrder.set(s.section, order);
      }
    });
    return (i: number, key: string): number => {
      const s = seats[i]!;
      const row = rows.get(`${s.section}\u0000${s.row}`)!;
      const at = row.indexOf(i);
      if (key === 'ArrowLeft') return row[Math.max(0, at - 1)]!;
      if (key === 'ArrowRight') return row[Math.min(row.length - 1, at + 1)]!;
      const order = rowOrder.get(s.section)!;
      const r = order.indexOf(s.row) + (key === 'ArrowDown' ? 1 : -1);
      if (r < 0 || r >= order.length) return i;
      const next = rows.get(`${s.section}\u0000${order[r]}`)!;
      return next.reduce((best, j) => (Math.abs(seats[j]!.x - s.x) < Math.abs(seats[best]!.x - s.x) ? j : best), next[0]!);
    };
  }, [seats]);
}

export function SeatMapView({ data, seats, onSeat }: { data: SeatMapData; seats: MapSeat[]; onSeat: (s: MapSeat) => void }) {
  const { width, height } = data.chart;
  const full = useMemo<ViewBox>(() => ({ x: 0, y: -20, w: width, h: height + 20 }), [width, height]);
  const [view, setView] = useState<ViewBox>(full);
  const [focus, setFocus] = useState<number | null>(null);
  const [tip, setTip] = useState<{ text: string; x: number; y: number } | null>(null);
  const svg = useRef<SVGSVGElement>(null);
  const drag = useRef<{ x: number; y: number; view: ViewBox; moved: boolean } | null>(null);
  const colours = useMemo(() => zoneColours(data.chart.zones), [data.chart.zones]);
  const neighbour = useNeighbours(seats);
  const index = useMemo(() => new Map(seats.map((s, i) => [`${s.section}|${s.row}|${s.seat}`, i])), [seats]);
  const find = useSeatFinder(seats);
  const asPaths = seats.length > DOM_SEAT_LIMIT;
  const seatAt = (e: { target: EventTarget; clientX: number; clientY: number }) => {
    const key = (e.target as SVGElement).dataset?.seat;
    if (key !== undefined) return index.get(key);
    if (!asPaths) return undefined;
    const p = toSvg(e.clientX, e.clientY);
    return find(p.x, p.y);
  };
  const counts = useMemo(() => {
    const c = { mine: 0, held: 0, sold: 0 };
    for (const s of seats) {
      const st = seatState(s);
      if (st === 'mine' || st === 'held' || st === 'sold') c[st]++;
    }
    return c;
  }, [seats]);

  useEffect(() => setView(full), [full]);

  const toSvg = (clientX: number, clientY: number) => {
    const m = svg.current?.getScreenCTM();
    if (!m) return { x: 0, y: 0 };
    const p = new DOMPoint(clientX, clientY).matrixTransform(m.inverse());
    return { x: p.x, y: p.y };
  };

  const zoom = useCallback(
    (factor: number, at?: { x: number; y: number }) =>
      setView((v) => {
        const w = Math.min(full.w * 1.5, Math.max(40, v.w / factor));
        const h = (w / v.w) * v.h;
        const c = at ?? { x: v.x + v.w / 2, y: v.y + v.h / 2 };
        return { x: c.x - ((c.x - v.x) * w) / v.w, y: c.y - ((c.y - v.y) * h) / v.h, w, h };
      }),
    [full],
  );

  // While the wheel turns or the map is dragged, only a CSS transform moves (the compositor shifts the
  // painted layer); the viewBox, which repaints every seat, is set once when the gesture ends.
  const wheel = useRef<{ factor: number; at: { x: number; y: number }; timer: ReturnType<typeof setTimeout> | null }>({ factor: 1, at: { x: 0, y: 0 }, timer: null });
  const onWheel = (e: WheelEvent<SVGSVGElement>) => {
    const el = svg.current;
    if (!el) return;
    const w = wheel.current;
    if (w.timer === null) {
      const r = el.getBoundingClientRect();
      w.at = toSvg(e.clientX, e.clientY);
      el.style.transformOrigin = `${e.clientX - r.left}px ${e.clientY - r.top}px`;
    } else clearTimeout(w.timer);
    w.factor *= e.deltaY < 0 ? 1.25 : 0.8;
    el.style.transform = `scale(${w.factor})`;
    w.timer = setTimeout(() => {
      el.style.transform = '';
      zoom(w.factor, w.at);
      w.factor = 1;
      w.timer = null;
    }, 120);
  };

  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    drag.current = { x: e.clientX, y: e.clientY, view, moved: false };
  };
  const endDrag = (e: PointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d?.moved || !svg.current) return;
    const scale = d.view.w / (svg.current.clientWidth || d.view.w);
    svg.current.style.transform = '';
    setView({ ...d.view, x: d.view.x - (e.clientX - d.x) * scale, y: d.view.y - (e.clientY - d.y) * scale });
  };
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (d && e.buttons === 1) {
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      if (d.moved || Math.hypot(dx, dy) > 4) {
        d.moved = true;
        if (svg.current) svg.current.style.transform = `translate(${dx}px, ${dy}px)`;
        setTip(null);
        return;
      }
    }
    const i = seatAt(e);
    setTip(i === undefined ? null : { text: describeSeat(seats[i]!), x: e.clientX, y: e.clientY });
  };
  const onClick = (e: MouseEvent<SVGSVGElement>) => {
    const moved = drag.current?.moved;
    drag.current = null;
    if (moved) return;
    const i = seatAt(e);
    if (i === undefined) return;
    setFocus(i);
    onSeat(seats[i]!);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key.startsWith('Arrow')) {
      e.preventDefault();
      const next = focus === null ? seats.findIndex((s) => s.status === 'available') : neighbour(focus, e.key);
      const i = next < 0 ? 0 : next;
      setFocus(i);
      const s = seats[i]!;
      // Keep the focused seat in view.
      setView((v) => (s.x < v.x || s.x > v.x + v.w || s.y < v.y || s.y > v.y + v.h ? { ...v, x: s.x - v.w / 2, y: s.y - v.h / 2 } : v));
    } else if ((e.key === 'Enter' || e.key === ' ') && focus !== null) {
      e.preventDefault();
      onSeat(seats[focus]!);
    } else if (e.key === '+' || e.key === '=') zoom(1.25);
    else if (e.key === '-') zoom(0.8);
    else if (e.key === '0') setView(full);
  };

  const focused = focus === null ? null : seats[focus];
  return (
    <div className="seatmap">
      <div className="seatmap-tools" role="toolbar" aria-label="Zoom">
        <button type="button" className="btn" onClick={() => zoom(1.25)} aria-label="Zoom in">
          +
        </button>
        <button type="button" className="btn" onClick={() => zoom(0.8)} aria-label="Zoom out">
          −
        </button>
        <button type="button" className="btn" onClick={() => setView(full)}>
          Fit
        </button>
        <span className="muted">Drag to pan, wheel to zoom; arrow keys move, Enter holds or releases.</span>
      </div>
      <div
        className="seatmap-frame"
        tabIndex={0}
        role="application"
        aria-label={`Seat map of ${data.eventName}. Arrow keys move between seats, Enter holds or releases the seat.`}
        aria-describedby="seat-focus"
        onKeyDown={onKeyDown}
        data-testid="seat-map"
      >
        <svg
          ref={svg}
          viewBox={`${view.x} ${view.y} ${view.w} ${view.h}`}
          preserveAspectRatio="xMidYMid meet"
          onWheel={onWheel}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={endDrag}
          onPointerLeave={(e) => {
            endDrag(e);
            if (drag.current?.moved) drag.current = null;
            setTip(null);
          }}
          onClick={onClick}
          data-seat-count={seats.length}
          data-mode={asPaths ? 'paths' : 'dots'}
          data-count-mine={counts.mine}
          data-count-held={counts.held}
          data-count-sold={counts.sold}
        >
          <text x={width / 2} y={-6} textAnchor="middle" className="seatmap-stage">
            STAGE / SCREEN
          </text>
          {asPaths ? <PathLayer seats={seats} colours={colours} /> : <SeatLayer seats={seats} colours={colours} />}
          {focused ? <circle cx={focused.x} cy={focused.y} r={R + 2.5} className="seat-focus-ring" /> : null}
        </svg>
        {tip ? (
          <div className="seatmap-tip" role="tooltip" style={{ left: tip.x + 12, top: tip.y + 12 }}>
            {tip.text}
          </div>
        ) : null}
      </div>
      <p id="seat-focus" className="seatmap-focus" aria-live="polite" data-testid="seat-focus">
        {focused ? describeSeat(focused) : 'No seat selected.'}
      </p>
    </div>
  );
}

export function SeatLegend({ data }: { data: SeatMapData }) {
  const colours = zoneColours(data.chart.zones);
  return (
    <ul className="seatmap-legend" aria-label="Legend">
      {data.zones.map((z) => (
        <li key={z.zone}>
          <span className="swatch" style={{ background: colours.get(z.zone) }} aria-hidden="true" />
          {z.zone} {z.priceCents === null ? '' : money(z.priceCents)}
        </li>
      ))}
      <li>
        <span className="swatch" style={{ background: STATUS_COLOURS.mine }} aria-hidden="true" />
        Held by you
      </li>
      <li>
        <span className="swatch" style={{ background: STATUS_COLOURS.held }} aria-hidden="true" />
        Held elsewhere
      </li>
      <li>
        <span className="swatch" style={{ background: STATUS_COLOURS.sold }} aria-hidden="true" />
        Sold
      </li>
    </ul>
  );
}
