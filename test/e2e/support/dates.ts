/** yyyy-mm-dd of today + days in the runner's zone (the date inputs' format). */
export function isoDay(offsetDays = 0): string {
  const d = new Date(Date.now() + offsetDays * 86400000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** "$1,234.50" → 123450 */
export function centsOf(text: string): number {
  const m = /\$([\d,]+)\.(\d{2})/.exec(text);
  if (!m) throw new Error(`no money in ${JSON.stringify(text)}`);
  return Number(m[1]!.replace(/,/g, '')) * 100 + Number(m[2]);
}
