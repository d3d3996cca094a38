import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent, type WheelEvent } from 'react';
import type { OpOutput } from '../../../../shared/operations/index.js';
import type { SeatMapSeat } from '../../../../shared/seat-columns.js';
import { money } from '../../format.js';

export type SeatMapData = OpOutput<'getSeatMap'>;
/** One seat, as shared/seat-columns.ts decodes it from the seat map's columns. */
export type MapSeat = SeatMapSeat;

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

const SeatLayer = memo(function SeatLayer({ seats, colours }: { seats: readonly MapSeat[]; colours: Map<string, string> }) {
  return (
    <g shapeRendering="optimizeSpeed" data-drawn={seats.length}>
      {seats.map((s) => (
        <Seat key={s.seatId} s={s} colour={colours.get(s.zone) ?? '#15803d'} />
      ))}
    </g>
  );
});

/**
 * Big charts (a stadium) are drawn as one <path> per colour instead of one <circle> per seat: tens of
 * thousands of elements cost seconds of style and layout on open, a handful of paths do not. Clicks
 * and tooltips then find the seat from the pointer position (seatFinder).
 */
export const DOM_SEAT_LIMIT = 4000;

/** The path data of some seats, one arc pair per seat. */
function circles(seats: readonly MapSeat[], idx: readonly number[], colours: Map<string, string>) {
  const groups = new Map<string, { fill: string; state: string; d: string }>();
  for (const i of idx) {
    const s = seats[i]!;
    const state = seatState(s);
    const fill = state === 'available' ? (colours.get(s.zone) ?? '#15803d') : STATUS_COLOURS[state];
    const key = `${state}|${fill}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { fill, state, d: '' }));
    g.d += `M${s.x - R} ${s.y}a${R} ${R} 0 1 0 ${2 * R} 0a${R} ${R} 0 1 0 ${-2 * R} 0`;
  }
  return [...groups];
}

/**
 * One section's seats as paths. A click or a pushed change touches one section: only its paths are
 * rebuilt and repainted, not the stadium's 21,000 seats (memo compares the section's seat objects).
 */
const SectionPaths = memo(
  function SectionPaths({ seats, idx, colours }: { seats: readonly MapSeat[]; idx: readonly number[]; colours: Map<string, string> }) {
    return (
      <g>
        {circles(seats, idx, colours).map(([key, g]) => (
          <path key={key} d={g.d} fill={g.fill} className={`seat-layer seat-${g.state}`} />
        ))}
      </g>
    );
  },
  (a, b) => a.idx === b.idx && a.colours === b.colours && (a.seats === b.seats || a.idx.every((i) => a.seats[i] === b.seats[i])),
);

/** Seats drawn per frame while a big chart opens. */
const SEATS_PER_FRAME = 4000;

/** How many sections to show: a few thousand seats more each frame until all are (never fewer than before). */
function useProgressive(sections: readonly [string, number[]][]) {
  const next = (from: number) => {
    let n = from;
    for (let seats = 0; n < sections.length && seats < SEATS_PER_FRAME; n++) seats += sections[n]![1].length;
    return n;
  };
  const [shown, setShown] = useState(() => next(0));
  useEffect(() => {
    if (shown >= sections.length) return;
    const id = requestAnimationFrame(() => setShown(next(shown)));
    return () => cancelAnimationFrame(id);
  });
  return Math.min(shown, sections.length);
}

/**
 * Drawn a few sections per frame: 21,000 seats at once are one long task (building the paths, then
 * the browser parsing and laying them out) during which the page cannot answer a click.
 */
const PathLayer = memo(function PathLayer({ seats, sections, colours }: { seats: readonly MapSeat[]; sections: readonly [string, number[]][]; colours: Map<string, string> }) {
  const shown = useProgressive(sections);
  const visible = sections.slice(0, shown);
  return (
    // Anti-aliased: zoomed out to fit, seats are a pixel or two and unsmoothed they alias into hatching.
    <g data-drawn={visible.reduce((n, [, idx]) => n + idx.length, 0)}>
      {visible.map(([name, idx]) => (
        <SectionPaths key={name} seats={seats} idx={idx} colours={colours} />
      ))}
    </g>
  );
});

/** Nearest seat to a point of the drawing, through a grid of 2-seat cells (the positions never change). */
function seatFinder(seats: readonly MapSeat[]) {
  const cell = 20;
  const grid = new Map<string, number[]>();
  seats.forEach((s, i) => {
    const k = `${Math.floor(s.x / cell)},${Math.floor(s.y / cell)}`;
    const list = grid.get(k);
    if (list) list.push(i);
    else grid.set(k, [i]);
  });
  return (x: number, y: number, radius: number): number | undefined => {
    let best: number | undefined;
    let bestD = radius ** 2;
    const cx = Math.floor(x / cell);
    const cy = Math.floor(y / cell);
    const reach = Math.ceil(radius / cell);
    for (let dx = -reach; dx <= reach; dx++) {
      for (let dy = -reach; dy <= reach; dy++) {
        for (const i of grid.get(`${cx + dx},${cy + dy}`) ?? []) {
          const d = (seats[i]!.x - x) ** 2 + (seats[i]!.y - y) ** 2;
          if (d < bestD) [best, bestD] = [i, d];
        }
      }
    }
    return best;
  };
}

interface ViewBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Neighbours for arrow keys: left/right along the row, up/down to the nearest seat of the next row of the section. */
function neighbours(seats: readonly MapSeat[]) {
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
}

/** Built on first use: for a stadium these lookups cost tens of milliseconds that the first draw need not wait for. */
function lazy<T>(build: () => T): () => T {
  let built: { v: T } | null = null;
  return () => (built ??= { v: build() }).v;
}

/** Lookups by position, row and label; they depend only on the layout, so they are built once per load. */
function useLookups(layout: readonly MapSeat[]) {
  const lookups = useMemo(
    () => ({
      neighbour: lazy(() => neighbours(layout)),
      index: lazy(() => new Map(layout.map((s, i) => [`${s.section}|${s.row}|${s.seat}`, i]))),
      find: lazy(() => seatFinder(layout)),
    }),
    [layout],
  );
  // Built while the browser is idle after the first draw, so the first pointer move does not wait for them.
  useEffect(() => {
    const warm = () => {
      lookups.find();
      lookups.neighbour();
    };
    if (typeof requestIdleCallback !== 'function') return void setTimeout(warm, 200);
    const id = requestIdleCallback(warm, { timeout: 2000 });
    return () => cancelIdleCallback(id);
  }, [lookups]);
  return lookups;
}

/**
 * Where the stage label goes: in the middle when the seats surround an empty centre (a stadium's
 * pitch, a theatre in the round), else above the seats; sized to the chart so it reads at "Fit".
 */
function useStage(layout: readonly MapSeat[], width: number, height: number) {
  return useMemo(() => {
    const size = Math.max(8, Math.round(Math.min(width, height) / 25));
    const [cx, cy, hw, hh] = [width / 2, height / 2, width / 5, height / 5];
    const ringed = layout.length > 0 && !layout.some((s) => Math.abs(s.x - cx) < hw && Math.abs(s.y - cy) < hh);
    return ringed ? { x: cx, y: cy + size / 3, size, text: 'FIELD / STAGE', top: 0 } : { x: cx, y: -size / 2, size, text: 'STAGE / SCREEN', top: 2 * size };
  }, [layout, width, height]);
}

/**
 * `layout` is the map as loaded (positions, sections and rows never change); `seats` is the same
 * seats with their current status. What depends only on positions is built once from `layout`.
 */
export function SeatMapView({ data, layout, seats, onSeat }: { data: SeatMapData; layout: readonly MapSeat[]; seats: readonly MapSeat[]; onSeat: (s: MapSeat) => void }) {
  const { width, height } = data.chart;
  const stage = useStage(layout, width, height);
  const full = useMemo<ViewBox>(() => {
    const pad = Math.round(Math.max(width, height) / 100);
    return { x: -pad, y: -stage.top - pad, w: width + 2 * pad, h: height + stage.top + 2 * pad };
  }, [width, height, stage.top]);
  const [view, setView] = useState<ViewBox>(full);
  const [focus, setFocus] = useState<number | null>(null);
  // The seat under the pointer, by index: its text follows the seat's status as it changes.
  const [tip, setTip] = useState<{ i: number; x: number; y: number } | null>(null);
  const svg = useRef<SVGSVGElement>(null);
  const drag = useRef<{ x: number; y: number; view: ViewBox; moved: boolean } | null>(null);
  const colours = useMemo(() => zoneColours(data.chart.zones), [data.chart.zones]);
  const lookups = useLookups(layout);
  const sections = useMemo(() => {
    const by = new Map<string, number[]>();
    layout.forEach((s, i) => {
      const list = by.get(s.section);
      if (list) list.push(i);
      else by.set(s.section, [i]);
    });
    return [...by];
  }, [layout]);
  const asPaths = seats.length > DOM_SEAT_LIMIT;
  const seatAt = (e: { target: EventTarget; clientX: number; clientY: number }) => {
    const key = (e.target as SVGElement).dataset?.seat;
    if (key !== undefined) return lookups.index().get(key);
    if (!asPaths) return undefined;
    const p = toSvg(e.clientX, e.clientY);
    // Zoomed out, a stadium seat is a pixel or two wide: a click within a few pixels of one takes it.
    const unitsPerPx = 1 / (svg.current?.getScreenCTM()?.a || 1);
    return lookups.find()(p.x, p.y, Math.max(R * 1.4, Math.min(5 * unitsPerPx, 3 * R)));
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
    setTip(i === undefined ? null : { i, x: e.clientX, y: e.clientY });
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
      const next = focus === null ? seats.findIndex((s) => s.status === 'available') : lookups.neighbour()(focus, e.key);
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
          <text x={stage.x} y={stage.y} textAnchor="middle" className="seatmap-stage" style={{ fontSize: stage.size, letterSpacing: stage.size / 6 }}>
            {stage.text}
          </text>
          {asPaths ? <PathLayer seats={seats} sections={sections} colours={colours} /> : <SeatLayer seats={seats} colours={colours} />}
          {focused ? <circle cx={focused.x} cy={focused.y} r={R + 2.5} className="seat-focus-ring" /> : null}
        </svg>
        {tip ? (
          <div className="seatmap-tip" role="tooltip" style={{ left: tip.x + 12, top: tip.y + 12 }}>
            {seats[tip.i] ? describeSeat(seats[tip.i]!) : null}
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
          <span className="zone-name">{z.zone}</span> {z.priceCents === null ? '' : money(z.priceCents)}
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
