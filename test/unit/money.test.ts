import { describe, expect, it } from 'vitest';
import { formatCents, numberToCents, parseMoneyToCents, readMoney } from '../../shared/money.js';

describe('money', () => {
  it('parses money text into integer cents exactly', () => {
    expect(parseMoneyToCents('42.00')).toBe(4200);
    expect(parseMoneyToCents('42.5')).toBe(4250);
    expect(parseMoneyToCents('5028.00')).toBe(502800);
    expect(parseMoneyToCents('$17')).toBe(1700);
    expect(parseMoneyToCents('0.07')).toBe(7);
  });
  it('refuses negative, sub-cent and non-numeric amounts', () => {
    for (const bad of ['-1.00', '1.005', 'abc', '', '1e3', '12.3.4']) expect(parseMoneyToCents(bad)).toBeNull();
  });
  it('formats cents as a two-decimal string', () => {
    expect(formatCents(4200)).toBe('42.00');
    expect(formatCents(7)).toBe('0.07');
    expect(formatCents(-150)).toBe('-1.50');
  });
  it('converts JSON numbers to cents without floating error', () => {
    expect(numberToCents(19.99)).toBe(1999);
    expect(numberToCents(0.1 + 0.2)).toBe(30);
    expect(numberToCents(1.005)).toBeNull();
  });
  it('reads spreadsheet prices: thousands separators, symbols and ISO codes before or after', () => {
    expect(readMoney('1,250.00')).toMatchObject({ ok: true, cents: 125000, currency: null });
    expect(readMoney('$1,250.00')).toMatchObject({ ok: true, cents: 125000, currency: 'USD' });
    expect(readMoney('1,234,567')).toMatchObject({ ok: true, cents: 123456700, currency: null });
    expect(readMoney('USD 42')).toMatchObject({ ok: true, cents: 4200, currency: 'USD' });
    expect(readMoney('42.5 usd')).toMatchObject({ ok: true, cents: 4250, currency: 'USD' });
    expect(readMoney('€12,50')).toMatchObject({ ok: true, cents: 1250, currency: 'EUR' });
    expect(readMoney('£7')).toMatchObject({ ok: true, cents: 700, currency: 'GBP' });
    expect(readMoney('12,5')).toMatchObject({ ok: true, cents: 1250, currency: null });
    expect(parseMoneyToCents('$1,250.00')).toBe(125000);
    // Another currency is never taken as dollars.
    expect(parseMoneyToCents('€12')).toBeNull();
  });
  it('refuses what could mean two amounts, naming both readings', () => {
    expect(readMoney('1,250')).toMatchObject({ ok: false, reason: 'ambiguous' });
    expect(readMoney('1,250')).toMatchObject({ message: expect.stringContaining('1250.00 with "," as a thousands separator, or 1.250') as unknown });
    expect(readMoney('1.250,00')).toMatchObject({ ok: false, reason: 'ambiguous' });
    expect(readMoney('$12 EUR')).toMatchObject({ ok: false, reason: 'currency' });
    expect(readMoney('-$5')).toMatchObject({ ok: false, reason: 'negative', currency: 'USD' });
    expect(readMoney('$-5')).toMatchObject({ ok: false, reason: 'negative' });
    for (const bad of ['1,2,3', '1,25,0.00', '12,345.678', '1.234', 'USD', '$', '12 US dollars']) expect(readMoney(bad).ok).toBe(false);
    for (const bad of ['1,250', '1.250,00', '1,2,3']) expect(parseMoneyToCents(bad)).toBeNull();
  });
});
