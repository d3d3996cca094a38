import { AppError } from '../../../shared/errors.js';
import type { SeatingChartInput } from '../../../shared/schemas/seating.js';

export type { ChartLayout, LaidOutSeat } from '../store/contract/shapes.js';
import type { ChartLayout, LaidOutSeat } from '../store/contract/shapes.js';

export const SEAT = 10;
const ROW_GAP = 12;
const MARGIN = 20;
export const MAX_CHART_SEATS = 100_000;

const letterIndex = (s: string) => [...s].reduce((n, c) => n * 26 + (c.charCodeAt(0) - 64), 0);
const letters = (n: number) => {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
};

/** "A-P" → A…P, "1-24" → 1…24, "A-C,E" → A,B,C,E; a list stays as given. */
export function expandLabels(spec: string | string[], what: string): string[] {
  if (Array.isArray(spec)) return spec;
  const out: string[] = [];
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Z]+|\d+)\s*-\s*([A-Z]+|\d+)$/i.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    const [a, b] = [m[1]!.toUpperCase(), m[2]!.toUpperCase()];
    const numeric = /^\d+$/.test(a);
    if (numeric !== /^\d+$/.test(b)) throw new AppError('VALIDATION_FAILED', `${what} range "${part}" mixes letters and numbers`, { field: what });
    const [lo, hi] = numeric ? [Number(a), Number(b)] : [letterIndex(a), letterIndex(b)];
    if (hi < lo || hi - lo > 999) throw new AppError('VALIDATION_FAILED', `${what} range "${part}" is empty or too long`, { field: what });
    for (let i = lo; i <= hi; i++) out.push(numeric ? String(i) : letters(i));
  }
  if (out.length === 0) throw new AppError('VALIDATION_FAILED', `${what} "${spec}" names nothing`, { field: what });
  return out;
}

/**
 * Lays out a chart from its compact description. Straight sections are a grid; curved ones bow
 * towards the stage (a parabola, enough to read as an arc); `rotate` turns a section around its
 * origin so stadium stands can face the pitch. The result is shifted so the drawing starts at MARGIN.
 */
export function layoutChart(input: SeatingChartInput): ChartLayout {
  const seats: LaidOutSeat[] = [];
  const names = new Set<string>();
  for (const s of input.sections) {
    if (names.has(s.name)) throw new AppError('VALIDATION_FAILED', `section ${s.name} appears twice`, { field: 'sections' });
    names.add(s.name);
    const rows = expandLabels(s.rows, 'rows');
    const seatLabels = typeof s.seats === 'number' ? Array.from({ length: s.seats }, (_, i) => String(i + 1)) : expandLabels(s.seats, 'seats');
    if (new Set(rows).size !== rows.length || new Set(seatLabels).size !== seatLabels.length) {
      throw new AppError('VALIDATION_FAILED', `section ${s.name} repeats a row or seat label`, { field: 'sections' });
    }
    if (seats.length + rows.length * seatLabels.length > MAX_CHART_SEATS) {
      throw new AppError('VALIDATION_FAILED', `a chart has at most ${MAX_CHART_SEATS} seats`, { field: 'sections' });
    }
    const rowZone = new Map<string, string>();
    for (const [range, zone] of Object.entries(s.rowZones ?? {})) for (const r of expandLabels(range, 'rowZones')) rowZone.set(r, zone);
    const aisles = new Set(s.aisleAfter);
    const accessible = new Set(s.accessibleRows);
    const obstructed = new Set(s.obstructedRows);
    const gaps = seatLabels.map((_, i) => [...aisles].filter((a) => a <= i).length);
    const rowWidth = (seatLabels.length - 1 + gaps[gaps.length - 1]!) * SEAT;
    const rad = (s.rotate * Math.PI) / 180;
    const [cos, sin] = [Math.cos(rad), Math.sin(rad)];
    rows.forEach((row, r) => {
      seatLabels.forEach((label, i) => {
        const lx = i * SEAT + gaps[i]! * SEAT - rowWidth / 2;
        let ly = r * ROW_GAP;
        if (s.shape === 'curved' && rowWidth > 0) ly += ((lx / (rowWidth / 2)) ** 2) * (2 + r * 0.4) * SEAT * -0.35;
        seats.push({
          section: s.name,
          row,
          seat: label,
          rowOrder: r,
          seatOrder: i,
          x: s.x * SEAT + lx * cos - ly * sin,
          y: s.y * SEAT + lx * sin + ly * cos,
          zone: rowZone.get(row) ?? s.zone,
          accessible: accessible.has(row),
          obstructed: obstructed.has(row),
          aisle: i === 0 || i === seatLabels.length - 1 || aisles.has(i + 1) || aisles.has(i),
        });
      });
    });
  }
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of seats) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  for (const p of seats) {
    p.x = Math.round((p.x - minX + MARGIN) * 10) / 10;
    p.y = Math.round((p.y - minY + MARGIN) * 10) / 10;
  }
  return {
    seats,
    width: Math.ceil(maxX - minX + 2 * MARGIN),
    height: Math.ceil(maxY - minY + 2 * MARGIN),
    sections: [...names],
    zones: [...new Set(seats.map((p) => p.zone))],
  };
}
