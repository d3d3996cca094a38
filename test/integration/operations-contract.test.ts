import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { operations } from '../../shared/operations/index.js';
import { PERMISSIONS } from '../../shared/operations/define.js';
import { FULL_ACCESS, invoke } from '../../electron/core/services/dispatch.js';
import { handlers } from '../../electron/core/services/handlers.js';
import { value } from '../support/db.js';
import { kioskCtx, memoryStore } from '../helpers.js';

describe('the operations table', () => {
  it('every operation has a handler, a permission, a unique HTTP route and zod schemas', () => {
    const routes = new Set<string>();
    for (const [name, def] of Object.entries(operations)) {
      expect(handlers, name).toHaveProperty(name);
      expect(PERMISSIONS).toContain(def.permission);
      const route = `${def.http.method} ${def.http.path}`;
      expect(routes.has(route), `duplicate route ${route}`).toBe(false);
      routes.add(route);
      expect(typeof def.input.safeParse).toBe('function');
      expect(typeof def.output.safeParse).toBe('function');
    }
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(operations).sort());
  });

  it('in-process calls (the IPC path) validate input, default to the kiosk channel and return outputs that match the schemas', async () => {
    const store = await memoryStore({ seed: true });
    const ctx = kioskCtx(store);
    const events = await invoke(ctx, FULL_ACCESS, 'searchEvents', { city: 'Chicago' });
    expect(operations.searchEvents.output.safeParse(events).success).toBe(true);
    const ev = events.items.find((e) => e.ticketsAvailable > 0)!;
    const page = await invoke(ctx, FULL_ACCESS, 'listEventTickets', { id: ev.id, limit: 3 });
    expect(operations.listEventTickets.output.safeParse(page).success).toBe(true);
    const best = await invoke(ctx, FULL_ACCESS, 'bestTicket', { id: ev.id });
    expect(operations.bestTicket.output.safeParse(best).success).toBe(true);
    const sold = await invoke(ctx, FULL_ACCESS, 'sellTicket', { id: best.ticket.id, payment: { tender: 'cash', tenderedCents: best.priceCents + 1000 } });
    expect(sold.order.changeDueCents).toBe(1000);
    const detail = await invoke(ctx, FULL_ACCESS, 'getOrder', { code: sold.order.code });
    expect(operations.getOrder.output.safeParse(detail).success).toBe(true);
    expect(detail.channel).toBe('kiosk');
    for (const name of ['listVenues', 'listSellers', 'listOrders', 'searchTickets', 'health'] as const) {
      const out = await invoke(ctx, FULL_ACCESS, name, {});
      expect(operations[name].output.safeParse(out).success, name).toBe(true);
    }
    await expect(invoke(ctx, FULL_ACCESS, 'sellTicket', { id: 'x' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(invoke(ctx, FULL_ACCESS, 'sellTicket', { id: best.ticket.id })).rejects.toBeInstanceOf(AppError);
    await store.close();
  });

  it('the dispatcher refuses an operation the caller has no permission for, before touching anything', async () => {
    const store = await memoryStore({ seed: true });
    const before = await value(store, 'SELECT count(*) FROM orders');
    const readOnly = { permissions: new Set(['read'] as const) };
    await expect(invoke(kioskCtx(store), readOnly, 'sellTicket', { id: 1 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(invoke(kioskCtx(store), readOnly, 'listVenues', {})).resolves.toBeDefined();
    expect(await value(store, 'SELECT count(*) FROM orders')).toBe(before);
    await store.close();
  });
});
