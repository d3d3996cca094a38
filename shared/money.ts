// Money is integer cents everywhere; these are the only conversions to and from text.

/** The currency every import and hand-typed price is in today (listings of one import share it). */
export const HOUSE_CURRENCY = 'USD';

const SYMBOLS: Record<string, string> = { $: 'USD', US$: 'USD', '€': 'EUR', '£': 'GBP' };
// A leading or trailing mark: a symbol or an ISO 4217 code ("USD 12", "12.50 EUR", "$1,250.00").
const MARKED_RE = /^(?:(US\$|\$|€|£|[A-Za-z]{3})\s*)?(-?)\s*(?:(US\$|\$|€|£)\s*)?([\d.,]+)\s*(?:(€|£|[A-Za-z]{3}))?$/;

export type MoneyReading =
  | { ok: true; cents: number; currency: string | null; note?: string }
  | { ok: false; reason: 'empty' | 'negative' | 'ambiguous' | 'not-money' | 'currency'; message: string; currency?: string | null };

const cents = (whole: string, frac: string | undefined) => {
  const c = Number(whole) * 100 + (frac === undefined ? 0 : Number(frac.padEnd(2, '0')));
  return Number.isSafeInteger(c) ? c : null;
};

/**
 * Reads a price as a spreadsheet writes it: "42", "42.5", "12,50" (decimal comma), "1,250.00",
 * "1,250,000", "$1,250.00", "€12", "12.50 EUR". What could mean two amounts is refused with both
 * readings named: "1,250" (1250 or 1.25), "1.250,00" (mixes both separators), "1.234" (1234 or three decimals).
 */
export function readMoney(text: string): MoneyReading {
  const t = text.trim();
  if (t === '') return { ok: false, reason: 'empty', message: 'is empty' };
  const m = MARKED_RE.exec(t);
  if (!m) return { ok: false, reason: 'not-money', message: 'is not a money amount such as 42.00' };
  const [, lead, minus, innerSym, digits, trail] = m as unknown as [string, string | undefined, string, string | undefined, string, string | undefined];
  const marks = [lead, innerSym, trail].filter((x): x is string => x !== undefined);
  const codes = marks.map((x) => SYMBOLS[x] ?? x.toUpperCase());
  if (new Set(codes).size > 1) return { ok: false, reason: 'currency', message: `names two currencies (${codes.join(' and ')})` };
  const currency = codes[0] ?? null;
  if (minus === '-') return { ok: false, reason: 'negative', message: 'is negative', currency };

  let whole: string;
  let frac: string | undefined;
  let note: string | undefined;
  let mm: RegExpExecArray | null;
  if ((mm = /^(\d{1,12})(?:[.,](\d{1,2}))?$/.exec(digits))) [, whole, frac] = mm as unknown as [string, string, string | undefined];
  else if ((mm = /^(\d{1,3}(?:,\d{3})+)\.(\d{1,2})$/.exec(digits)) || (mm = /^(\d{1,3}(?:,\d{3}){2,})$/.exec(digits))) {
    whole = mm[1]!.replaceAll(',', '');
    frac = mm[2];
    note = '"," read as a thousands separator';
  } else if ((mm = /^(\d{1,3}),(\d{3})$/.exec(digits))) {
    const n = `${mm[1]}${mm[2]}`;
    return {
      ok: false,
      reason: 'ambiguous',
      currency,
      message: `is ambiguous: ${Number(n)}.00 with "," as a thousands separator, or ${mm[1]}.${mm[2]} with "," as a decimal comma; write ${Number(n)}.00 or ${mm[1]}.${mm[2]!.replace(/0+$/, '').padEnd(2, '0')}`,
    };
  } else if ((mm = /^(\d{1,3}(?:\.\d{3})+),(\d{1,2})$/.exec(digits))) {
    const n = mm[1]!.replaceAll('.', '');
    return {
      ok: false,
      reason: 'ambiguous',
      currency,
      message: `mixes "." and "," (read with "." as a thousands separator it is ${n}.${mm[2]!.padEnd(2, '0')}); write ${n}.${mm[2]!.padEnd(2, '0')}`,
    };
  } else return { ok: false, reason: 'not-money', currency, message: 'is not a money amount such as 42.00' };
  const c = cents(whole, frac);
  if (c === null) return { ok: false, reason: 'not-money', currency, message: 'is not a money amount such as 42.00' };
  return note === undefined ? { ok: true, cents: c, currency } : { ok: true, cents: c, currency, note };
}

/** "42", "42.5", "$42.50", "1,250.00" → cents in the house currency; anything else (negative, other currency, ambiguous) → null. */
export function parseMoneyToCents(text: string): number | null {
  const r = readMoney(text);
  return r.ok && (r.currency === null || r.currency === HOUSE_CURRENCY) ? r.cents : null;
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
