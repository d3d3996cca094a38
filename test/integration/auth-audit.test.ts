import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationNames, operations, type OperationName } from '../../shared/operations/index.js';
import { FULL_ACCESS, invoke } from '../../electron/core/services/dispatch.js';
import { redact } from '../../electron/core/auth/audit.js';
import { buildWorld, fixtures, type World } from './support/auth-world.js';
import { exec, rows, value } from '../support/db.js';

const mutating = operationNames.filter((n) => operations[n].mutates);
const auditCount = (w: World) => value(w.store, 'SELECT count(*) FROM audit_log');
const lastAudit = async (w: World) =>
  (await rows(w.store, 'SELECT * FROM audit_log ORDER BY id DESC LIMIT 1'))[0] as Record<string, string | number | null>;

describe('audit log', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld();
  });
  afterAll(async () => w.store.close());

  it('has a fixture for every mutating operation (a new one must bring its own)', () => {
    expect(mutating.filter((n) => !fixtures[n])).toEqual([]);
    expect(mutating.length).toBeGreaterThan(20);
  });

  for (const name of mutating) {
    it(`${name} writes exactly one entry with who, when, where and what`, async () => {
      // An admin can call everything; clerks' sales are covered below.
      const input = await fixtures[name]!(w, 'admin');
      const before = (await auditCount(w));
      const started = new Date().toISOString();
      await invoke(w.ctx, w.callers.admin, name as OperationName, input);
      expect((await auditCount(w))).toBe(before + 1);
      const row = (await lastAudit(w));
      expect(row).toMatchObject({ operation: name, username: 'admin1', role: 'admin', user_id: w.users.admin, terminal: 'test:admin' });
      expect(String(row.at) >= started).toBe(true);
      expect(() => JSON.parse(String(row.input_json))).not.toThrow();
    });
  }

  it('a clerk’s sale is logged as the clerk’s, inside the sale’s own transaction', async () => {
    const input = await fixtures.createOrder!(w, 'clerk');
    const res = await invoke(w.ctx, w.callers.clerk, 'createOrder', input);
    expect((await lastAudit(w))).toMatchObject({ operation: 'createOrder', username: 'clerk1', subject: `order:${res.order.code}` });
  });

  it('a failed or refused call writes nothing', async () => {
    const input = await fixtures.sellTicket!(w, 'admin');
    await invoke(w.ctx, w.callers.clerk, 'sellTicket', input);
    const before = (await auditCount(w));
    await expect(invoke(w.ctx, w.callers.clerk, 'sellTicket', input)).rejects.toMatchObject({ code: 'TICKET_UNAVAILABLE' });
    await expect(invoke(w.ctx, w.callers.seller, 'sellTicket', input)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(invoke(w.ctx, w.callers.admin, 'createVenue', { name: '' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(invoke(w.ctx, w.callers.admin, 'signIn', { username: 'clerk1', password: 'wrong password' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await auditCount(w))).toBe(before);
  });

  it('refunds racing for one order: one refunds it, the others are refused and log nothing', async () => {
    const input = await fixtures.refundOrder!(w, 'admin');
    const before = await auditCount(w);
    const results = await Promise.allSettled([1, 2, 3].map(() => invoke(w.ctx, w.callers.admin, 'refundOrder', input)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'CONFLICT' });
    // Before the fix each refused refund committed its own entry claiming the refund (crash-consistency proof).
    expect(await auditCount(w)).toBe(before + 1);
    expect(await value(w.store, `SELECT count(*) FROM audit_log WHERE operation = 'refundOrder' AND subject = ?`, [`order:${input.code}`])).toBe(1);
  });

  it('reads write nothing', async () => {
    const before = (await auditCount(w));
    for (const name of operationNames.filter((n) => !operations[n].mutates && n !== 'listEventTickets')) {
      const input = fixtures[name] ? await fixtures[name]!(w, 'admin') : {};
      const mid = (await auditCount(w));
      await invoke(w.ctx, w.callers.admin, name, input).catch(() => undefined);
      expect({ name, entries: (await auditCount(w)) - mid }).toEqual({ name, entries: 0 });
    }
    expect((await auditCount(w))).toBeGreaterThanOrEqual(before);
  });

  it('keeps secrets out: passwords, PINs and tokens are redacted, CSV bodies summarised', async () => {
    await invoke(w.ctx, w.callers.admin, 'createUser', { username: 'secretive', displayName: 'S', role: 'clerk', password: 'hunter2hunter2', pin: '1357' });
    const created = (await lastAudit(w));
    expect(String(created.input_json)).not.toContain('hunter2');
    expect(String(created.input_json)).not.toContain('1357');
    expect(String(created.after_json)).not.toMatch(/scrypt\$/);
    const t = await invoke(w.ctx, w.callers.admin, 'createApiToken', { name: 'ci' });
    expect(JSON.stringify((await lastAudit(w)))).not.toContain(t.token);
    expect(redact({ csv: 'a,b\n1,2\n', password: 'x', nested: { pin: '1234', pin_hash: 'h' } })).toEqual({
      csv: '[csv, 8 chars]',
      password: '[redacted]',
      nested: { pin: '[redacted]', pin_hash: '[redacted]' },
    });
  });

  it('records before and after of a change', async () => {
    await invoke(w.ctx, w.callers.admin, 'updateUser', { id: w.users.clerk, displayName: 'Before Name' });
    await invoke(w.ctx, w.callers.admin, 'updateUser', { id: w.users.clerk, displayName: 'After Name' });
    const row = (await lastAudit(w));
    expect(JSON.parse(String(row.before_json))).toMatchObject({ displayName: 'Before Name' });
    expect(JSON.parse(String(row.after_json))).toMatchObject({ displayName: 'After Name' });
    expect(row.subject).toBe(`user:${w.users.clerk}`);
  });

  it('is append-only: the database refuses UPDATE and DELETE, and no operation changes old entries', async () => {
    const snapshot = (await rows(w.store, 'SELECT * FROM audit_log ORDER BY id'));
    await expect(exec(w.store, "UPDATE audit_log SET username = 'someone else'")).rejects.toThrow(/append-only/);
    await expect(exec(w.store, 'DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    // Run every mutating operation once more: old entries stay exactly as they were.
    for (const name of mutating) await invoke(w.ctx, w.callers.admin, name, await fixtures[name]!(w, 'admin'));
    const after = (await rows(w.store, 'SELECT * FROM audit_log ORDER BY id')) as { username: string }[];
    expect(after.slice(0, snapshot.length)).toEqual(snapshot);
    // Fixtures arrange their data as the system; the admin's own calls are one entry each.
    expect(after.slice(snapshot.length).filter((r) => r.username === 'admin1')).toHaveLength(mutating.length);
  });

  it('is viewable and filterable by admins only', async () => {
    const byClerk = await invoke(w.ctx, w.callers.admin, 'listAuditLog', { actor: 'clerk1' });
    expect(byClerk.items.length).toBeGreaterThan(0);
    expect(byClerk.items.every((e) => e.username === 'clerk1')).toBe(true);
    const sales = await invoke(w.ctx, w.callers.admin, 'listAuditLog', { operation: 'createOrder', limit: 2 });
    expect(sales.items).toHaveLength(2);
    expect(sales.nextBefore).toBe(sales.items[1]!.id);
    const older = await invoke(w.ctx, w.callers.admin, 'listAuditLog', { operation: 'createOrder', before: sales.nextBefore! });
    expect(older.items.every((e) => e.id < sales.nextBefore!)).toBe(true);
    const future = await invoke(w.ctx, w.callers.admin, 'listAuditLog', { from: '2999-01-01' });
    expect(future.items).toEqual([]);
    await expect(invoke(w.ctx, w.callers.organizer, 'listAuditLog', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // Internal calls (tests, CLI) are logged as the system.
    await invoke(w.ctx, FULL_ACCESS, 'createVenue', { name: 'Sys', city: 'X', country: 'US', timezone: 'UTC' });
    expect((await lastAudit(w))).toMatchObject({ username: 'system', user_id: null });
  });
});
