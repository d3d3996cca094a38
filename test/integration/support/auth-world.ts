import { createHash } from 'node:crypto';
import { ROLES, type Role } from '../../../shared/auth/roles.js';
import type { OperationName } from '../../../shared/operations/index.js';
import { callerForUser } from '../../../electron/core/auth/callers.js';
import { hashSecret } from '../../../electron/core/auth/passwords.js';
import type { HttpControl, OpContext, StoreControl } from '../../../electron/core/services/context.js';
import { FULL_ACCESS, invoke, type Caller } from '../../../electron/core/services/dispatch.js';
import type { Store } from '../../../electron/core/store/contract/store.js';
import { memoryStore } from '../../helpers.js';
import { rows, tableNames } from '../../support/db.js';

export const ROLE_PASSWORD = 'correct horse battery';
export const ROLE_PIN = '4321';

/** A desktop capability stand-in so setHttpServer can succeed in process. */
export const fakeHttpControl = (): HttpControl => {
  let settings = { enabled: false, port: 4310 };
  const status = () => ({ available: true, enabled: settings.enabled, running: false, port: null, url: null, tokenFile: null, error: null });
  return { status, configure: async (s) => ((settings = s), status()) };
};

/** The desktop's settings file stand-in, so setStoreSettings can succeed in process. */
export const fakeStoreControl = (): StoreControl => {
  let saved: string | null = null;
  return { status: () => ({ source: 'default', url: null, saved, editable: true }), save: async (url) => void (saved = url) };
};

export interface World {
  store: Store;
  ctx: OpContext;
  users: Record<Role, number>;
  callers: Record<Role, Caller>;
  venueId: number;
  houseEventId: number;
  sellerId: number;
  /** Seller account's own seller */
  ownSellerId: number;
  seq: () => number;
}

/** Small world: one venue, a house event with tickets, two sellers, and one account per role (cheap hashes). */
export async function buildWorld(): Promise<World> {
  const store = await memoryStore();
  const ctx: OpContext = { store, channel: 'kiosk', version: 'test', httpControl: fakeHttpControl(), storeControl: fakeStoreControl() };
  const v = await invoke(ctx, FULL_ACCESS, 'createVenue', { name: 'Matrix Hall', city: 'Chicago', country: 'US', timezone: 'America/Chicago' });
  const e = await invoke(ctx, FULL_ACCESS, 'createEvent', { name: 'House Night', venueId: v.id, startsAt: '2027-03-01T20:00:00-06:00', status: 'on_sale' });
  const l1 = await invoke(ctx, FULL_ACCESS, 'postListing', { eventId: e.id, seller: { name: 'Box Office' }, section: 'A', row: '1', quantity: 4, priceCents: 2500 });
  const l2 = await invoke(ctx, FULL_ACCESS, 'postListing', { eventId: e.id, seller: { name: 'Resale Co', email: 'r@example.org' }, section: 'B', row: '1', quantity: 2, priceCents: 3000 });
  // Low scrypt cost for the fixtures only: verifySecret reads the parameters from the hash.
  const cheap = { N: 1024, r: 8, p: 1 };
  const [pw, pin] = await Promise.all([hashSecret(ROLE_PASSWORD, cheap), hashSecret(ROLE_PIN, cheap)]);
  const users = {} as Record<Role, number>;
  await store.write(async (trx) => {
    for (const role of ROLES) {
      const now = new Date().toISOString();
      const row = await trx
        .insertInto('users')
        .values({ username: `${role}1`, display_name: `${role} one`, role, active: 1, password_hash: pw, pin_hash: pin, seller_id: role === 'seller' ? l2.listing.sellerId : null, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      users[role] = row.id;
    }
  });
  const callers = {} as Record<Role, Caller>;
  for (const role of Object.keys(users) as Role[]) callers[role] = (await callerForUser(store.auth, users[role], { terminal: `test:${role}`, via: 'session' }))!;
  let n = 0;
  return { store, ctx, users, callers, venueId: v.id, houseEventId: e.id, sellerId: l1.listing.sellerId, ownSellerId: l2.listing.sellerId, seq: () => ++n };
}

/** Every table's rows, hashed: "changed nothing" means this is equal before and after. */
export async function checksum(store: Store): Promise<string> {
  const h = createHash('sha256');
  for (const t of await tableNames(store)) {
    h.update(t);
    // Sorted in JS: some tables have no row order of their own.
    const all = (await rows(store, `SELECT * FROM "${t}"`)).map((r) => JSON.stringify(Object.values(r))).sort();
    for (const r of all) h.update(r);
  }
  return h.digest('hex');
}

type Fixture = (w: World, role: Role) => Promise<Record<string, unknown>>;

const full = <K extends OperationName>(w: World, name: K, input: unknown) => invoke(w.ctx, FULL_ACCESS, name, input);

async function freshTickets(w: World, quantity = 1, eventId = w.houseEventId): Promise<number[]> {
  const l = await full(w, 'postListing', { eventId, sellerId: w.sellerId, section: `S${w.seq()}`, row: '1', quantity, priceCents: 1000 });
  return l.tickets.map((t) => t.id);
}

/** An event owned by the caller when the caller is an organizer (else a house event). */
async function ownEvent(w: World, role: Role): Promise<number> {
  const caller = role === 'organizer' ? w.callers.organizer : FULL_ACCESS;
  const e = await invoke(w.ctx, caller, 'createEvent', { name: `Own ${w.seq()}`, venueId: w.venueId, startsAt: '2027-04-01T20:00:00-05:00', status: 'on_sale' });
  return e.id;
}

async function saleBy(w: World, role: Role, opts: { cash?: boolean; eventId?: number } = {}): Promise<string> {
  const [t] = await freshTickets(w, 1, opts.eventId);
  const caller = role === 'clerk' ? w.callers.clerk : FULL_ACCESS;
  const r = await invoke(w.ctx, caller, 'createOrder', { ticketIds: [t!], ...(opts.cash ? { payment: { tender: 'cash', tenderedCents: 1000 } } : {}) });
  return r.order.code;
}

const csvFor = (w: World) => `eventId,section,quantity,price,row\n${w.houseEventId},C${w.seq()},2,12.50,1\n`;

async function importBatch(w: World, role: Role): Promise<number> {
  const sellerId = role === 'seller' ? w.ownSellerId : w.sellerId;
  const r = await full(w, 'importTickets', { csv: csvFor(w), sellerId, fileName: `f${w.seq()}.csv` });
  return (r as { batchId: number }).batchId;
}

async function chart(w: World): Promise<number> {
  const c = await full(w, 'createSeatingChart' as OperationName, { name: `Chart ${w.seq()}`, venueId: w.venueId, sections: [{ name: 'Stalls', rows: 'A-B', seats: 4 }] });
  return (c as { id: number }).id;
}

async function chartedEvent(w: World): Promise<{ eventId: number; ticketIds: number[] }> {
  const eventId = await ownEvent(w, 'admin');
  const chartId = await chart(w);
  await full(w, 'assignSeatingChart' as OperationName, { id: eventId, chartId, prices: { standard: 1500 } });
  const page = await full(w, 'listEventTickets', { id: eventId, limit: 10 });
  return { eventId, ticketIds: page.items.map((t) => t.id) };
}

/**
 * A valid input per operation, prepared for the role about to call it (ownership: an organizer's
 * own event, a seller's own seller, a clerk's own cash sale). Every mutating operation needs one:
 * the audit test fails for a new mutating operation without a fixture.
 */
export const fixtures: Partial<Record<OperationName, Fixture>> = {
  health: async () => ({}),
  createVenue: async (w) => ({ name: `Venue ${w.seq()}`, city: 'Chicago', country: 'US', timezone: 'America/Chicago' }),
  listVenues: async () => ({}),
  createEvent: async (w) => ({ name: `Event ${w.seq()}`, venueId: w.venueId, startsAt: '2027-05-01T20:00:00-05:00' }),
  searchEvents: async () => ({}),
  getEvent: async (w) => ({ id: w.houseEventId }),
  updateEvent: async (w, role) => ({ id: await ownEvent(w, role), name: `Renamed ${w.seq()}` }),
  listEventTickets: async (w) => ({ id: w.houseEventId }),
  listEventListings: async (w) => ({ id: w.houseEventId }),
  bestTicket: async (w) => ({ id: w.houseEventId }),
  searchTickets: async () => ({}),
  postListing: async (w, role) => ({ eventId: w.houseEventId, sellerId: role === 'seller' ? w.ownSellerId : w.sellerId, section: `P${w.seq()}`, row: '2', quantity: 2, priceCents: 900 }),
  sellTicket: async (w) => ({ id: (await freshTickets(w))[0] }),
  createOrder: async (w) => ({ ticketIds: await freshTickets(w, 2) }),
  listOrders: async () => ({}),
  getOrder: async (w) => ({ code: await saleBy(w, 'admin') }),
  listSellers: async () => ({}),
  getHttpServer: async () => ({}),
  setHttpServer: async () => ({ enabled: false, port: 4311 }),
  getStoreSettings: async () => ({}),
  setStoreSettings: async () => ({ databaseUrl: '' }),
  // Empty: the embedded answer, so the matrix needs no server to connect to.
  testStoreConnection: async () => ({ databaseUrl: '' }),
  sellAny: async (w) => {
    await freshTickets(w, 1);
    return { id: w.houseEventId };
  },
  sellFromListing: async (w) => {
    const l = await full(w, 'postListing', { eventId: w.houseEventId, sellerId: w.sellerId, section: `L${w.seq()}`, row: '1', quantity: 2, priceCents: 1000 });
    return { id: l.listing.id, quantity: 2 };
  },
  ingestOrderEvents: async (w) => ({
    channel: 'shop',
    events: [{ event_type: 'order.created', event_id: `evt-${w.seq()}`, email: 'p@example.com', currency: 'USD', financial_status: 'paid', order_value: 10, line_items: [{ id: 'sku-1', quantity: 1 }] }],
  }),
  reportTopCustomers: async () => ({}),
  reportRevenue: async () => ({}),
  reportSalesByRegion: async () => ({}),
  reportSalesByReferral: async () => ({}),
  reportEventSales: async () => ({}),
  reportSellerSales: async () => ({}),
  reportShift: async () => ({}),
  exportReport: async () => ({ report: 'revenue' }),
  importTickets: async (w, role) => ({ csv: csvFor(w), sellerId: role === 'seller' ? w.ownSellerId : w.sellerId, fileName: `i${w.seq()}.csv` }),
  previewImport: async (w, role) => ({ csv: csvFor(w), ...(role === 'seller' ? {} : { sellerId: w.sellerId }) }),
  listImportBatches: async () => ({}),
  getImportBatch: async (w, role) => ({ id: await importBatch(w, role) }),
  rollbackImportBatch: async (w, role) => ({ id: await importBatch(w, role) }),
  cancelImport: async (w, role) => {
    // A batch still running (as if a big import were under way): the only kind that can be cancelled.
    const sellerId = role === 'seller' ? w.ownSellerId : w.sellerId;
    const [row] = await w.store.write((trx) =>
      w.store.sql(trx).all<{ id: number }>("INSERT INTO import_batches (seller_id, sha256, status, created_at) VALUES (?, ?, 'running', ?) RETURNING id", [
        sellerId,
        createHash('sha256').update(String(w.seq())).digest('hex'),
        new Date().toISOString(),
      ]),
    );
    return { id: Number(row!.id) };
  },
  exportRejectedCsv: async (w, role) => ({ id: await importBatch(w, role) }),
  exportTicketsCsv: async () => ({}),
  exportOrdersCsv: async () => ({}),
  signIn: async (_w, role) => ({ username: `${role}1`, password: ROLE_PASSWORD }),
  signOut: async () => ({}),
  whoAmI: async () => ({}),
  // The same password again, so the accounts keep signing in with ROLE_PASSWORD in later tests.
  changeOwnPassword: async () => ({ currentPassword: ROLE_PASSWORD, newPassword: ROLE_PASSWORD }),
  listUsers: async () => ({}),
  createUser: async (w) => ({ username: `new${w.seq()}`, displayName: 'New Clerk', role: 'clerk', pin: '9876' }),
  updateUser: async (w) => ({ id: w.users.clerk, displayName: `Clerk ${w.seq()}` }),
  createApiToken: async (w) => ({ name: `token ${w.seq()}` }),
  listApiTokens: async () => ({}),
  revokeApiToken: async (w, role) => {
    const t = await full(w, 'createApiToken', { name: `to revoke ${w.seq()}`, userId: w.users[role] });
    return { id: t.apiToken.id };
  },
  listAuditLog: async () => ({}),
  getSecuritySettings: async () => ({}),
  setSecuritySettings: async () => ({ idleLockMinutes: 7, voidWindowMinutes: 10 }),
  voidOrder: async (w, role) => ({ code: await saleBy(w, role, { cash: true }) }),
  refundOrder: async (w, role) => ({ code: await saleBy(w, 'admin', { eventId: await ownEvent(w, role) }), reason: 'customer asked' }),
  createSeatingChart: async (w) => ({ name: `Chart ${w.seq()}`, venueId: w.venueId, sections: [{ name: 'Stalls', rows: 'A-B', seats: 4 }] }),
  listSeatingCharts: async () => ({}),
  assignSeatingChart: async (w, role) => ({ id: await ownEvent(w, role), chartId: await chart(w), prices: { standard: 1500 } }),
  getSeatMap: async (w) => ({ id: (await chartedEvent(w)).eventId }),
  bestSeats: async (w) => ({ id: (await chartedEvent(w)).eventId }),
  holdSeats: async (w) => {
    const { eventId, ticketIds } = await chartedEvent(w);
    return { id: eventId, ticketIds: ticketIds.slice(0, 2), holder: 'till-1' };
  },
  releaseSeats: async (w) => {
    const { eventId, ticketIds } = await chartedEvent(w);
    await full(w, 'holdSeats' as OperationName, { id: eventId, ticketIds: ticketIds.slice(0, 1), holder: 'till-1' });
    return { id: eventId, ticketIds: ticketIds.slice(0, 1), holder: 'till-1' };
  },
  listHolds: async (w) => ({ id: w.houseEventId }),
  reserveTickets: async (w) => {
    await freshTickets(w, 2);
    return { id: w.houseEventId, quantity: 1, holder: 'web-1' };
  },
  listReservations: async (w) => ({ id: w.houseEventId }),
  cancelReservation: async (w) => {
    await freshTickets(w, 1);
    const r = await full(w, 'reserveTickets' as OperationName, { id: w.houseEventId, quantity: 1, holder: 'web-2' });
    return { id: (r as { id: number }).id };
  },
  cancelOrder: async (w, role) => ({ code: await saleBy(w, 'admin', { eventId: await ownEvent(w, role) }), reason: 'duplicate sale' }),
  eventInventory: async (w) => ({ id: w.houseEventId }),
  checkIn: async (w) => ({ code: await ticketCode(w), door: 'Door 1' }),
  undoCheckIn: async (w) => {
    const r = await full(w, 'checkIn', { code: await ticketCode(w), door: 'Door 1' });
    if (r.result !== 'admitted') throw new Error(`fixture ticket was refused: ${r.message}`);
    return { id: r.checkInId };
  },
  listCheckIns: async (w) => ({ id: w.houseEventId }),
  checkInCounts: async (w) => ({ id: w.houseEventId }),
  listDoorEvents: async () => ({}),
  getTicketCodes: async (w) => ({ code: await saleBy(w, 'admin') }),
  recordTicketPrint: async (w) => ({ code: await saleBy(w, 'admin') }),
};

/** The signed code of a freshly sold ticket. */
async function ticketCode(w: World): Promise<string> {
  const codes = await full(w, 'getTicketCodes', { code: await saleBy(w, 'admin') });
  return codes.items[0]!.code;
}
