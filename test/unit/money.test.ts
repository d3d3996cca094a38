import { describe, expect, it } from 'vitest';
import { formatCents, numberToCents, parseMoneyToCents } from '../../shared/money.js';

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
});
