import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { shot } from './support/fixtures.js';
import { startCoreHost } from '../../electron/core/host/core-host.js';
import { freePort } from '../free-port.js';
import { desktopWindow } from './support/desktop-window.js';
import { eventWithTickets } from '../postgres/support/inventory.js';
import { withDb, type Terminal } from '../postgres/support/terminals.js';
import { sharedDatabase } from './support/shared-database.js';

/**
 * Issue 15 in the browser, the two UI points: (1) a window signed in to a `marquee serve --db` terminal
 * whose PostgreSQL server stops (fast shutdown, as test/postgres/server-outage.test.ts does) shows the
 * "Can't reach the shared database" banner within seconds, its sell button is disabled and a sale
 * sent anyway is refused with a clear message; the server back on the same port, the banner goes by
 * itself and the same window sells, the terminal never restarted. (2) The Settings panel of the shared
 * database: the store in effect (password ****), read only under `marquee serve`, and Test connection
 * answering in plain words (wrong password, nothing at a port, missing database, this schema).
 */
test.describe.configure({ mode: 'serial', timeout: 240_000 });

const pg = sharedDatabase('outage_ui', ['outage-ui']);


/** A window signed in through the terminal's printed one-time link (each link works once: a fresh one after). */
async function windowOn(browser: Browser, t: Terminal): Promise<Page> {
  const context = await browser.newContext({ baseURL: t.base });
  const page = await context.newPage();
  const link = await t.post('/login-links', {});
  expect(link.status).toBe(201);
  await page.goto((link.body as { url: string }).url);
  await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible({ timeout: 30_000 });
  return page;
}

test('the database server stops: banner within seconds, selling paused and refused clearly; back on the same port: banner gone, the sale goes through', async ({ browser }, testInfo) => {
  const [t] = pg.terminals as [Terminal];
  const { eventId, ticketIds } = await eventWithTickets(t, 6, 'Blackout Gala');
  const page = await windowOn(browser, t);
  const banner = page.getByTestId('store-banner');

  await page.goto(`/#/events/${eventId}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Blackout Gala' })).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('best-ticket').getByRole('button', { name: /Take best ticket/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sell' })).toBeVisible();
  await expect(page.getByTestId('sale-line')).toHaveCount(1);
  const confirm = page.getByRole('button', { name: /Confirm sale/ });
  await expect(confirm).toBeEnabled();
  await expect(banner).toHaveCount(0);

  // The venue's server goes away.
  const stoppingAt = Date.now();
  await pg.server.stop();
  const stoppedAt = Date.now();
  await expect(banner).toBeVisible({ timeout: 5_000 });
  const seenAfter = Date.now() - stoppedAt;
  console.log(`[postgres-store-outage] fast shutdown took ${stoppedAt - stoppingAt} ms; banner shown ${seenAfter} ms after the server was gone`);
  testInfo.annotations.push({ type: 'banner latency', description: `${seenAfter} ms from the server's stop to the banner` });
  await expect(banner).toContainText("Can't reach the shared database — selling is paused. Reconnecting…");
  await expect(page.getByTestId('store-banner-problem')).toContainText(/database server/i);
  // Selling is paused: the confirm button is disabled and says why.
  const paused = page.getByRole('button', { name: /Selling is paused/ });
  await expect(paused).toBeDisabled();
  await shot(page, testInfo, 'store-unavailable-sell');

  // A sale sent anyway (F9 confirms from anywhere) is refused in plain words, never confirmed.
  // Taller, so the banner, the paused button's form and the refusal are in one picture (docs/store-unavailable.png).
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.keyboard.press('F9');
  const refusal = page.getByRole('alert').filter({ hasText: 'Not sold.' });
  await expect(refusal).toBeVisible({ timeout: 15_000 });
  await expect(refusal).toContainText("Can't reach the shared database, so this was not done");
  await expect(page.getByRole('heading', { level: 1, name: 'Sale complete' })).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: 'Sell' })).toBeVisible();
  await shot(page, testInfo, 'store-unavailable-sale-refused');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Nobody is signed out by it: the window's focus asks who is signed in again (answered 503), the clerk stays.
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await page.waitForTimeout(1_000);
  await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Sell' })).toBeVisible();

  // A window not signed in sees it on the sign-in screen.
  const fresh = await browser.newContext({ baseURL: t.base });
  const signIn = await fresh.newPage();
  await signIn.goto('/');
  await expect(signIn.getByTestId('store-banner')).toBeVisible({ timeout: 10_000 });
  await shot(signIn, testInfo, 'store-unavailable-sign-in');
  await fresh.close();

  // Every screen shows it: the events list too (its read fails, the banner says why).
  await page.goto('/#/events');
  await expect(page.getByRole('heading', { level: 1, name: 'Events' })).toBeVisible();
  await expect(banner).toBeVisible();
  await shot(page, testInfo, 'store-unavailable-events');
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Sell' })).toBeVisible();
  await expect(page.getByTestId('sale-line')).toHaveCount(1);

  // Back on the same port and data dir; the terminal was never restarted, nor the window reloaded.
  await pg.server.start();
  const restartedAt = Date.now();
  await expect(banner).toHaveCount(0, { timeout: 20_000 });
  console.log(`[postgres-store-outage] banner gone ${Date.now() - restartedAt} ms after the database server was back`);
  await expect(confirm).toBeEnabled();
  await confirm.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sale complete' })).toBeVisible({ timeout: 30_000 });
  const code = (await page.getByTestId('order-code').innerText()).trim();
  await shot(page, testInfo, 'store-back-sale-complete');

  // In the database: one order, one sold ticket (the refused attempt left nothing, nor was it sold twice).
  const rows = await withDb(pg.url, (c) =>
    c.query<{ code: string; ticket_id: string }>(
      `SELECT o.code, l.ticket_id FROM orders o JOIN order_items l ON l.order_id = o.id JOIN tickets t ON t.id = l.ticket_id WHERE t.event_id = $1`,
      [eventId],
    ),
  );
  expect(rows.rows).toHaveLength(1);
  expect(rows.rows[0]!.code).toBe(code);
  expect(ticketIds).toContain(Number(rows.rows[0]!.ticket_id));
  await page.context().close();
});

test('Settings: the shared database in effect (password ****, read only under marquee serve) and Test connection in plain words', async ({ browser }, testInfo) => {
  const [t] = pg.terminals as [Terminal];
  const page = await windowOn(browser, t);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Settings' }).click();
  const panel = page.getByTestId('store-settings');
  await expect(panel.getByRole('heading', { name: 'Shared database' })).toBeVisible();
  await expect(panel.getByTestId('store-engine')).toHaveText('PostgreSQL (shared server)');
  await expect(panel.getByTestId('store-source')).toContainText('command line');
  const shown = (await panel.getByTestId('store-url').innerText()).trim();
  expect(shown).toContain('****');
  expect(shown).not.toContain(pg.server.password);
  expect(shown).toContain(`127.0.0.1:${pg.server.port}/outage_ui`);
  // Under marquee serve the database is the command line's: a read-only note, no Save (the server answers 409).
  await expect(panel.getByTestId('store-readonly')).toContainText('Read only here');
  await expect(panel.getByRole('button', { name: 'Save' })).toBeDisabled();
  const put = await t.api('/settings/store', { method: 'PUT', json: { databaseUrl: '' } });
  expect(put.status).toBe(409);

  const input = panel.getByLabel(/Database URL/);
  const result = panel.getByTestId('store-test-result');
  const testIt = async (value: string | null) => {
    if (value !== null) await input.fill(value);
    await panel.getByRole('button', { name: 'Test connection' }).click();
    await expect(result).toBeVisible({ timeout: 20_000 });
  };

  // The URL in effect, as shown (masked): the password behind **** is the one in use.
  await expect(input).toHaveValue(shown);
  await testIt(null);
  await expect(result).toHaveAttribute('data-problem', 'current');
  await expect(result).toContainText("a Marquee database at this version's schema");

  await testIt(`postgres://${pg.server.user}:wrong-password@127.0.0.1:${pg.server.port}/outage_ui`);
  await expect(result).toHaveAttribute('data-problem', 'auth-failed');
  await expect(result).toContainText('Wrong user or password');
  await expect(result).toContainText('refused the user name or password');
  expect(await result.innerText()).not.toContain('wrong-password');
  await result.scrollIntoViewIfNeeded();
  await shot(page, testInfo, 'store-settings-wrong-password');

  await testIt(`postgres://${pg.server.user}:${pg.server.password}@127.0.0.1:${pg.server.port}/no_such_db`);
  await expect(result).toHaveAttribute('data-problem', 'database-missing');
  await expect(result).toContainText('has no database named in the URL');

  const nothingThere = await freePort();
  await testIt(`postgres://${pg.server.user}:${pg.server.password}@127.0.0.1:${nothingThere}/outage_ui`);
  await expect(result).toHaveAttribute('data-problem', 'unreachable');
  await expect(result).toContainText(`Nothing answers at 127.0.0.1:${nothingThere}`);
  expect(await result.innerText()).not.toContain(pg.server.password);
  await result.scrollIntoViewIfNeeded();
  await shot(page, testInfo, 'store-settings-unreachable');
  await page.context().close();
});

test('desktop window (real preload and IPC bridge): Settings saves the URL for the next start; the banner follows health over IPC', async ({ browser }, testInfo) => {
  const desktopUrl = await pg.server.createDatabase('desktop_ui');
  const dataDir = mkdtempSync(join(tmpdir(), 'marquee-desktop-store-e2e-'));
  const persisted: (string | null)[] = [];
  const host = await startCoreHost({
    store: { dataDir, databaseUrl: desktopUrl },
    version: 'e2e',
    storeSettings: { source: 'settings', saved: desktopUrl, persist: (u) => void persisted.push(u) },
  });
  try {
    const { page, context } = await desktopWindow(browser, host);
    await expect(page.getByTitle('How this window talks to the box office')).toHaveText('Desktop');
    await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible({ timeout: 30_000 });
    await page.goto('http://marquee.test/index.html#/settings');
    const panel = page.getByTestId('store-settings');
    await expect(panel.getByTestId('store-engine')).toHaveText('PostgreSQL (shared server)', { timeout: 30_000 });
    await expect(panel.getByTestId('store-source')).toContainText('saved in this app');
    await expect(panel.getByTestId('store-readonly')).toHaveCount(0);
    const input = panel.getByLabel(/Database URL/);
    await expect(input).toHaveValue(/postgres:\/\/marquee:\*\*\*\*@127\.0\.0\.1:\d+\/desktop_ui/);

    // Another database of the same server, saved for the next start: the real URL is persisted, the panel masks it.
    const next = pg.server.urlFor('desktop_next');
    await input.fill(next);
    await panel.getByRole('button', { name: 'Test connection' }).click();
    await expect(panel.getByTestId('store-test-result')).toHaveAttribute('data-problem', 'database-missing', { timeout: 20_000 });
    const save = panel.getByRole('button', { name: 'Save' });
    await expect(save).toBeEnabled();
    await save.click();
    await expect(panel.getByTestId('store-saved-note')).toContainText('It applies at the next start');
    await expect(panel.getByTestId('store-restart')).toContainText('restart Marquee to use it');
    await expect(panel.getByTestId('store-saved')).toContainText('****@127.0.0.1');
    await expect(panel.getByTestId('store-saved')).toContainText('/desktop_next');
    expect(await panel.getByTestId('store-saved').innerText()).not.toContain(pg.server.password);
    expect(persisted).toEqual([next]);
    await panel.getByTestId('store-saved-note').scrollIntoViewIfNeeded();
    await shot(page, testInfo, 'desktop-store-settings-saved');

    // The banner through the IPC client: the server stops, then comes back.
    await page.goto('http://marquee.test/index.html#/events');
    await expect(page.getByRole('heading', { level: 1, name: 'Events' })).toBeVisible();
    const banner = page.getByTestId('store-banner');
    await expect(banner).toHaveCount(0);
    await pg.server.stop();
    await expect(banner).toBeVisible({ timeout: 5_000 });
    await expect(banner).toContainText("Can't reach the shared database — selling is paused. Reconnecting…");
    await shot(page, testInfo, 'desktop-store-unavailable');
    await pg.server.start();
    await expect(banner).toHaveCount(0, { timeout: 20_000 });
    await context.close();
  } finally {
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
