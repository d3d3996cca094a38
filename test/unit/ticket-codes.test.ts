import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatTicketCode, normaliseTicketCode, signTicketCode, verifyTicketCode } from '../../electron/core/services/ticket-codes.js';

const secret = randomBytes(32).toString('base64url');
const fields = { ticketId: 123456, eventId: 42, saleId: 98765 };
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

describe('ticket codes', () => {
  it('round-trip: the code names its ticket, event and sale, in upper-case Crockford base32', () => {
    const code = signTicketCode(secret, fields);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]+$/);
    expect(verifyTicketCode(secret, code)).toEqual({ ok: true, ...fields });
    // 80-bit MAC plus a few bytes of ids: short enough to type, long enough not to guess.
    expect(code.length).toBeGreaterThanOrEqual(Math.ceil(((1 + 3 + 10) * 8) / 5));
    expect(code.length).toBeLessThan(40);
  });

  it('accepts the human form: grouped by dashes, spaces, lower case, Crockford look-alikes', () => {
    const code = signTicketCode(secret, fields);
    const human = formatTicketCode(code);
    expect(human).toMatch(/^([0-9A-Z]{4}-)+[0-9A-Z]{1,4}$/);
    expect(normaliseTicketCode(human)).toBe(code);
    for (const typed of [human, human.toLowerCase(), ` ${human.replace(/-/g, ' ')} `, code.toLowerCase(), code.replace(/0/g, 'O').replace(/1/g, 'l')]) {
      expect(verifyTicketCode(secret, typed), typed).toEqual({ ok: true, ...fields });
    }
  });

  it('refuses a tampered code: every single-character change', () => {
    const code = signTicketCode(secret, fields);
    let refused = 0;
    for (let i = 0; i < code.length; i++) {
      for (const c of ALPHABET) {
        if (c === code[i]) continue;
        const tampered = code.slice(0, i) + c + code.slice(i + 1);
        const r = verifyTicketCode(secret, tampered);
        expect(r.ok, tampered).toBe(false);
        refused++;
      }
    }
    expect(refused).toBe(code.length * 31);
  });

  it("refuses another store's code (foreign secret) as forged", () => {
    const foreign = signTicketCode(randomBytes(32), fields);
    expect(verifyTicketCode(secret, foreign)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses truncated and extended codes, and things that are not codes', () => {
    const code = signTicketCode(secret, fields);
    for (let n = 0; n < code.length; n++) expect(verifyTicketCode(secret, code.slice(0, n)).ok, `first ${n}`).toBe(false);
    expect(verifyTicketCode(secret, code + '0').ok).toBe(false);
    expect(verifyTicketCode(secret, code + code).ok).toBe(false);
    for (const junk of ['', '----', 'MQ-AAAA-BBBB', 'hello world', 'U'.repeat(26), '0'.repeat(200), '😀'.repeat(10)]) {
      expect(verifyTicketCode(secret, junk), junk).toMatchObject({ ok: false });
    }
  });

  it("one ticket's code says nothing about another's: neighbouring tickets differ in the signature too", () => {
    const a = signTicketCode(secret, fields);
    const b = signTicketCode(secret, { ...fields, ticketId: fields.ticketId + 1 });
    const macA = a.slice(-16);
    const macB = b.slice(-16);
    expect(macA).not.toBe(macB);
    // Splicing the other ticket's ids onto this signature is refused.
    const spliced = b.slice(0, b.length - 16) + macA;
    expect(verifyTicketCode(secret, spliced).ok).toBe(false);
  });

  it('a resold ticket (same ticket, new sale) gets a different code', () => {
    expect(signTicketCode(secret, fields)).not.toBe(signTicketCode(secret, { ...fields, saleId: fields.saleId + 1 }));
  });

  it('refuses to sign what is not a positive safe integer, or with a short key', () => {
    expect(() => signTicketCode(secret, { ...fields, ticketId: 0 })).toThrow(RangeError);
    expect(() => signTicketCode(secret, { ...fields, eventId: 1.5 })).toThrow(RangeError);
    expect(() => signTicketCode(randomBytes(8), fields)).toThrow(/128 bits/);
    const big = { ticketId: Number.MAX_SAFE_INTEGER, eventId: 1, saleId: 2 ** 40 };
    expect(verifyTicketCode(secret, signTicketCode(secret, big))).toEqual({ ok: true, ...big });
  });
});
