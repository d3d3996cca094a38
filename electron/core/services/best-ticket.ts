// "Best" is documented in README (Best ticket). Change both together.

export type Strategy = 'value' | 'cheapest' | 'closest';

/** 1.0 for floor and 1xx sections, 0.12 less per level up to 8xx; 9xx and text (GA, PASS…) 0.4–0.5. */
export function sectionScore(section: string): number {
  const s = section.trim();
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (n < 100) return 1;
    const level = Math.floor(n / 100);
    if (level >= 9) return 0.4;
    return Math.round((1 - (level - 1) * 0.12) * 100) / 100;
  }
  return 0.5;
}

/** Row 1 / A is best; each row back costs 2.5 %, floored at 0.3; unnumbered rows (GA, SRO) 0.5. */
export function rowRank(row: string): number | null {
  const r = row.trim().toUpperCase();
  if (/^\d+$/.test(r)) return Math.max(1, Number(r));
  if (/^[A-Z]{1,2}$/.test(r) && !['GA'].includes(r)) {
    return r.length === 1 ? r.charCodeAt(0) - 64 : 26 * (r.charCodeAt(0) - 64) + (r.charCodeAt(1) - 64);
  }
  return null;
}

export function rowScore(row: string): number {
  const rank = rowRank(row);
  if (rank === null) return 0.5;
  return Math.max(0.3, 1 - (rank - 1) * 0.025);
}

export function quality(section: string, row: string): number {
  return Math.round(sectionScore(section) * rowScore(row) * 10000) / 10000;
}

export interface Candidate {
  listingId: number;
  section: string;
  row: string;
  priceCents: number;
}

export interface Scored extends Candidate {
  quality: number;
  /** value: quality per $100 of price; cheapest and closest: the quality itself. */
  score: number;
}

export function score(c: Candidate, strategy: Strategy): Scored {
  const q = quality(c.section, c.row);
  const s = strategy === 'value' ? Math.round((q * 10000 * 10000) / Math.max(c.priceCents, 1)) / 10000 : q;
  return { ...c, quality: q, score: s };
}

/** Total order, so the answer is deterministic: strategy key, then price, quality, listing id. */
export function compare(strategy: Strategy) {
  return (a: Scored, b: Scored): number => {
    if (strategy === 'cheapest') return a.priceCents - b.priceCents || b.quality - a.quality || a.listingId - b.listingId;
    if (strategy === 'closest') return b.quality - a.quality || a.priceCents - b.priceCents || a.listingId - b.listingId;
    return b.score - a.score || a.priceCents - b.priceCents || b.quality - a.quality || a.listingId - b.listingId;
  };
}

/** N tickets side by side: the first run of N consecutive seat numbers; unnumbered tickets are interchangeable. */
export function pickTogether<T extends { id: number; seat: string | null }>(tickets: T[], n: number): T[] | null {
  if (tickets.length < n) return null;
  const numbered = tickets.filter((t) => t.seat !== null && /^\d+$/.test(t.seat));
  if (numbered.length === 0) return tickets.slice(0, n);
  const sorted = [...numbered].sort((a, b) => Number(a.seat) - Number(b.seat) || a.id - b.id);
  for (let i = 0; i + n <= sorted.length; i++) {
    const run = sorted.slice(i, i + n);
    if (run.every((t, k) => k === 0 || Number(t.seat) === Number(run[k - 1]!.seat) + 1)) return run;
  }
  return null;
}

export function explain(s: Scored, strategy: Strategy, quantity: number): string {
  const where = `section ${s.section}, row ${s.row}`;
  const qty = quantity > 1 ? `${quantity} together in ` : '';
  const price = `$${(s.priceCents / 100).toFixed(2)}`;
  if (strategy === 'cheapest') return `Lowest price: ${qty}${where} at ${price} each.`;
  if (strategy === 'closest') return `Best seat quality (${s.quality.toFixed(2)} of 1): ${qty}${where} at ${price} each.`;
  return `Best value: quality ${s.quality.toFixed(2)} of 1 for ${price} (${s.score.toFixed(2)} per $100) — ${qty}${where}.`;
}
