import { SEAT } from './chart-layout.js';

export interface SeatSlot {
  ticketId: number;
  section: string;
  row: string;
  seat: string;
  rowOrder: number;
  seatOrder: number;
  x: number;
  y: number;
  zone: string;
  priceCents: number;
  /** Available to the asker (available, a lapsed hold, or its own hold). */
  free: boolean;
}

export interface BestBlock {
  seats: SeatSlot[];
  leavesSingleGap: boolean;
}

/**
 * Best block of `quantity` adjacent free seats in one row. Adjacent means consecutive seat order and
 * no aisle between (seats further apart than 1.5 seat widths are not together). A block that would
 * leave exactly one free seat stranded at either side is taken only when no other block exists.
 * Among the rest: front rows first, then nearest the row's centre, then cheaper.
 */
export function bestTogether(slots: readonly SeatSlot[], quantity: number, zone?: string): BestBlock | null {
  const rows = new Map<string, SeatSlot[]>();
  for (const s of slots) {
    const key = `${s.section}\u0000${s.rowOrder}`;
    const r = rows.get(key);
    if (r) r.push(s);
    else rows.set(key, [s]);
  }
  let best: { block: SeatSlot[]; gap: boolean; score: number } | null = null;
  for (const row of rows.values()) {
    row.sort((a, b) => a.seatOrder - b.seatOrder);
    const centre = (row[0]!.seatOrder + row[row.length - 1]!.seatOrder) / 2;
    // Runs of free seats that sit together.
    let run: SeatSlot[] = [];
    const runs: SeatSlot[][] = [];
    for (const s of row) {
      const prev = run[run.length - 1];
      const together = prev && s.seatOrder === prev.seatOrder + 1 && Math.hypot(s.x - prev.x, s.y - prev.y) <= SEAT * 1.5;
      if (!s.free || (zone !== undefined && s.zone !== zone)) {
        if (run.length) runs.push(run);
        run = [];
        continue;
      }
      if (!together && run.length) {
        runs.push(run);
        run = [];
      }
      run.push(s);
    }
    if (run.length) runs.push(run);
    for (const r of runs) {
      for (let start = 0; start + quantity <= r.length; start++) {
        const block = r.slice(start, start + quantity);
        const left = start;
        const right = r.length - start - quantity;
        const gap = left === 1 || right === 1;
        const mid = (block[0]!.seatOrder + block[block.length - 1]!.seatOrder) / 2;
        const price = block.reduce((n, s) => n + s.priceCents, 0);
        const score = (gap ? 1e9 : 0) + block[0]!.rowOrder * 1e5 + Math.abs(mid - centre) * 100 + price / 1e6;
        if (!best || score < best.score) best = { block, gap, score };
      }
    }
  }
  return best ? { seats: best.block, leavesSingleGap: best.gap } : null;
}
