import { AppError } from '../../../shared/errors.js';
import type { StoreHealthInfo, StoreSettingsStatus } from '../../../shared/operations/store-ops.js';
import { maskDatabaseUrl, unmaskDatabaseUrl } from '../../../shared/store-url.js';
import { probeDatabase } from '../store/postgres/probe.js';
import type { OpContext, StoreControl } from './context.js';
import type { Handler } from './handlers.js';

const NO_CONTROL: ReturnType<StoreControl['status']> = { source: 'default', url: null, saved: null, editable: false };

function settingsStatus(ctx: OpContext): StoreSettingsStatus {
  const s = ctx.storeControl?.status() ?? NO_CONTROL;
  const inEffect = ctx.store.engine === 'postgres' ? s.url : null;
  const restartNeeded = s.editable && (s.saved ?? null) !== (inEffect ?? null);
  const message = !s.editable
    ? s.source === 'command line'
      ? 'Chosen on the command line (marquee serve --db …); restart the server with another --db to change it'
      : s.source === 'environment'
        ? 'Chosen by MARQUEE_DATABASE_URL; change it there and restart'
        : 'Chosen when this instance started; it cannot be changed here'
    : restartNeeded
      ? 'Saved; restart Marquee to use it'
      : ctx.store.engine === 'postgres'
        ? 'This terminal shares the PostgreSQL database above with the venue’s other terminals'
        : 'This terminal keeps its own embedded database';
  return {
    engine: ctx.store.engine,
    location: ctx.store.location,
    databaseUrl: maskDatabaseUrl(inEffect),
    source: s.source,
    savedUrl: s.editable ? maskDatabaseUrl(s.saved) : null,
    editable: s.editable,
    restartNeeded,
    message,
  };
}

/** The saved (else in-effect) URL, whose password a masked URL typed back stands for. */
const known = (ctx: OpContext) => {
  const s = ctx.storeControl?.status();
  return s?.saved ?? s?.url ?? null;
};

/** Health's `store`: the engine's own up/down state, and the last migration while it answers. */
export async function storeHealth(ctx: OpContext): Promise<StoreHealthInfo> {
  const h = ctx.store.health();
  if (!h.up) return { engine: ctx.store.engine, status: 'unavailable', problem: h.problem, schemaVersion: null };
  try {
    const row = await ctx.store.sql().get<{ v: string | null }>('SELECT max(name) AS v FROM kysely_migration');
    return { engine: ctx.store.engine, status: 'up', problem: null, schemaVersion: row?.v ?? null };
  } catch (err) {
    const e = ctx.store.describeError(err);
    if (e?.code === 'STORE_UNAVAILABLE') {
      const problem = (e.details as { problem?: string } | undefined)?.problem ?? e.message;
      return { engine: ctx.store.engine, status: 'unavailable', problem, schemaVersion: null };
    }
    throw err;
  }
}

export const storeHandlers: {
  getStoreSettings: Handler<'getStoreSettings'>;
  setStoreSettings: Handler<'setStoreSettings'>;
  testStoreConnection: Handler<'testStoreConnection'>;
} = {
  getStoreSettings: async (ctx) => settingsStatus(ctx),

  setStoreSettings: async (ctx, { databaseUrl }) => {
    const control = ctx.storeControl;
    if (!control || !control.status().editable) {
      const s = settingsStatus(ctx);
      throw new AppError('CONFLICT', `The database cannot be changed here: ${s.message}`, { source: s.source, editable: false });
    }
    let url: string | null = null;
    if (databaseUrl !== '') {
      const r = unmaskDatabaseUrl(databaseUrl, known(ctx));
      if (r.masked) throw new AppError('VALIDATION_FAILED', 'Type the password into the URL: the saved one belongs to another server or user', { field: 'databaseUrl' });
      url = r.url;
    }
    const before = settingsStatus(ctx);
    await control.save(url);
    const after = settingsStatus(ctx);
    if (ctx.audit) {
      ctx.audit.subject = 'settings:store';
      ctx.audit.before = { savedUrl: before.savedUrl };
      ctx.audit.after = { savedUrl: after.savedUrl };
    }
    return after;
  },

  testStoreConnection: async (ctx, { databaseUrl }) => {
    if (databaseUrl === '') {
      return { ok: true, problem: 'embedded', message: 'No URL: this terminal keeps its own embedded database (one machine, nothing to connect to)', target: 'embedded', schemaVersion: null };
    }
    const r = unmaskDatabaseUrl(databaseUrl, known(ctx));
    return probeDatabase(r.url);
  },
};
