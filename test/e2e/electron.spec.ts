// The desktop window end to end.
//
// 1. With an Electron binary: the real dist-electron/main.cjs in a real Electron, the sell flow
//    through the UI over IPC. Where the binary cannot be had (it is not downloadable on the machine
//    this was written on) those tests skip with the reason.
// 2. Everywhere: the same flow in the system Chromium with the real preload bundle
//    (dist-electron/preload.cjs) and the real main-side IPC bridge, joined by a stand-in for
//    contextBridge/ipcRenderer — what the renderer sees of the desktop, minus Electron itself.
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildElectron } from '../../build/build-electron.mjs';
import { prepareElectronNative } from '../../build/electron-dev.mjs';
import { findElectronBinary } from '../../build/electron-binary.mjs';
import { startCoreHost, type CoreHost } from '../../electron/core/host/core-host.js';
import { operationNames } from '../../shared/operations/index.js';
import { centsOf, isoDay } from './support/dates.js';
import { desktopWindow } from './support/desktop-window.js';

interface EventItem {
  id: number;
  name: string;
  ticketsAvailable: number;
}
interface Best {
  ticket: { id: number; section: string; row: string; priceCents: number };
  reason: string;
}
type Client = Record<string, (input: unknown) => Promise<unknown>>;

const root = resolve(import.meta.dirname, '..', '..');
const binary = findElectronBinary();
const noBinary = 'reason' in binary ? binary.reason : 'no Electron binary';
// The list reporter does not print skip reasons, so say once why the real-Electron tests will not run.
if (!binary.path) console.log(`electron.spec: the two "in Electron" tests skip: ${noBinary}`);

/** Calls an operation through the preload's window.marquee, i.e. over the IPC bridge. */
const ipc = <T>(page: Page, name: string, input: unknown) =>
  page.evaluate(([n, i]) => (window as unknown as { marquee: Client }).marquee[n as string]!(i), [name, input] as const) as Promise<T>;

async function expectDesktopSurface(page: Page) {
  await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
  const surface = await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return {
      marquee: Object.keys(w.marquee as object).sort(),
      events: Object.keys(w.marqueeEvents as object),
      node: [typeof w.require, typeof w.process, typeof w.ipcRenderer, typeof w.module],
    };
  });
  expect(surface.marquee).toEqual([...operationNames].sort());
  expect(surface.events).toEqual(['onIdleLock', 'onSeatChange']);
  expect(surface.node).toEqual(['undefined', 'undefined', 'undefined', 'undefined']);
  await expect(page.getByTitle('How this window talks to the box office')).toHaveText('Desktop');
  // Errors cross the bridge with their code.
  const err = await page.evaluate(() => (window as unknown as { marquee: Client }).marquee.getEvent!({ id: 987654 }).catch((e: unknown) => e));
  expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'event 987654 does not exist' });
}

/** Search an event, take the best ticket, sell it for cash, see the confirmation. */
async function sellFlow(page: Page) {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: /Events/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Events' })).toBeVisible();

  const from = isoDay(0);
  const to = isoDay(70);
  await page.getByLabel('City').fill('Chicago');
  await page.getByLabel('From').fill(from);
  await page.getByLabel('To').fill(to);
  await page.getByRole('button', { name: 'Search' }).click();
  const expected = await ipc<{ items: EventItem[] }>(page, 'searchEvents', { city: 'Chicago', from, to });
  expect(expected.items.length).toBeGreaterThan(0);
  await expect(page.getByTestId('event-card')).toHaveCount(expected.items.length);

  const event = expected.items.find((e) => e.ticketsAvailable > 0)!;
  await page.getByTestId('event-card').filter({ hasText: event.name }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: event.name })).toBeVisible();

  const best = await ipc<Best>(page, 'bestTicket', { id: event.id, strategy: 'value', quantity: 1 });
  const panel = page.getByTestId('best-ticket');
  await expect(panel.getByTestId('best-reason')).toHaveText(best.reason);
  await panel.getByRole('button', { name: /Take best ticket/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sell' })).toBeVisible();
  const totalCents = centsOf(await page.getByTestId('sale-total').innerText());
  expect(totalCents).toBe(best.ticket.priceCents);

  const tendered = Math.ceil(totalCents / 10000) * 10000 + 2000;
  const cash = page.getByLabel('Cash handed over ($)');
  await cash.fill((tendered / 100).toFixed(2));
  await cash.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Sale complete' })).toBeVisible();
  const code = (await page.getByTestId('order-code').innerText()).trim();
  await expect(page.getByTestId('change-notice')).toContainText(`$${((tendered - totalCents) / 100).toFixed(2)}`);

  const order = await ipc<{ channel: string; lines: { ticketId: number }[]; payments: { tender: string; changeDueCents: number }[] }>(page, 'getOrder', { code });
  expect(order.channel).toBe('kiosk');
  expect(order.lines.map((l) => l.ticketId)).toEqual([best.ticket.id]);
  expect(order.payments[0]).toMatchObject({ tender: 'cash', changeDueCents: tendered - totalCents });
}

test.describe('in Electron', () => {
  let app: ElectronApplication | null = null;
  let dataDir: string | null = null;

  test.beforeAll(async () => {
    if (!binary.path) return;
    const native = await prepareElectronNative(binary.path);
    if (native.error) throw new Error(native.error);
    const { main } = await buildElectron({ quiet: true });
    dataDir = mkdtempSync(join(tmpdir(), 'marquee-electron-e2e-'));
    app = await _electron.launch({
      executablePath: binary.path,
      // Chromium will not start its own sandbox as root (CI containers); the renderer's sandbox flag stays on.
      args: [main, '--data', dataDir, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      env: { ...process.env, ...(native.dir ? { MARQUEE_ELECTRON_NATIVE_DIR: native.dir } : {}) },
    });
  });

  test.afterAll(async () => {
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('the window exposes only the typed client and stays on its own origin', async () => {
    test.skip(!binary.path, noBinary);
    const page = await app!.firstWindow();
    expect(page.url()).toMatch(/^app:\/\/marquee\//);
    await expectDesktopSurface(page);
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
    expect(page.url()).toMatch(/^app:\/\/marquee\//);
    expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
    expect(app!.windows()).toHaveLength(1);
  });

  test('search an event, take the best ticket, sell it for cash, see the confirmation', async () => {
    test.skip(!binary.path, noBinary);
    await sellFlow(await app!.firstWindow());
  });
});

test.describe('preload and bridge in Chromium', () => {
  let dataDir: string;
  let host: CoreHost;

  test.beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'marquee-preload-e2e-'));
    // The store on the core host's worker thread, as the desktop app runs it.
    host = await startCoreHost({ store: { dataDir }, version: 'e2e' });
  });

  test.afterAll(async () => {
    await host?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the renderer over the preload client sells a ticket', async ({ browser }) => {
    test.skip(!readFileSafe(join(root, 'dist', 'renderer', 'index.html')), 'dist/renderer is not built (npm run build:renderer)');
    // The real preload bundle and main-side bridge, joined by a stand-in for contextBridge/ipcRenderer (support/desktop-window.ts).
    const { page, context } = await desktopWindow(browser, host);
    await expectDesktopSurface(page);
    await sellFlow(page);
    await context.close();
  });
});

function readFileSafe(file: string): boolean {
  try {
    readFileSync(file);
    return true;
  } catch {
    return false;
  }
}
