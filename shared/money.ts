// Money is integer cents everywhere; these are the only conversions to and from text.

const MONEY_RE = /^\s*\$?\s*(\d{1,12})(?:[.,](\d{1,2}))?\s*$/;

/** "42", "42.5", "42.50", "$42.50" → 4250; anything else (negative, 3 decimals, text) → null. */
export function parseMoneyToCents(text: string): number | null {
  const m = MONEY_RE.exec(text);
  if (!m) return null;
  const whole = Number(m[1]);
  const frac = m[2] === undefined ? 0 : Number(m[2].padEnd(2, '0'));
  const cents = whole * 100 + frac;
  return Number.isSafeInteger(cents) ? cents : null;
}

/** 4250 → "42.50" (no currency symbol: the currency travels beside it). */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Exact conversion of a JSON number such as 19.99 to cents, refusing sub-cent amounts. */
export function numberToCents(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  const cents = Math.round(value * 100);
  if (Math.abs(cents - value * 100) > 1e-6) return null;
  return cents;
}

export function displayMoney(cents: number, currency = 'USD'): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
}
