import type { Browser, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { shot } from './support/fixtures.js';
import { seatedEvent } from '../postgres/support/inventory.js';
import { withDb, type Terminal } from '../postgres/support/terminals.js';
import { sharedDatabase } from './support/shared-database.js';

/**
 * Issue 15 in the browser: two box-office windows, each signed in to its own `marquee serve` process,
 * both on one PostgreSQL database (a throwaway server started here). A seat held at one window turns
 * held on the other's map, carried only by the database (LISTEN/NOTIFY → that terminal's SSE), and
 * the other window cannot take it. The delay from the click to the other map is measured and
 * reported (the issue wants it within a second), not asserted.
 */
test.describe.configure({ mode: 'serial', timeout: 240_000 });

const pg = sharedDatabase('two_windows', ['window-a', 'window-b']);


/** A window signed in through the terminal's printed one-time link, as the person at the till would. */
async function windowOn(browser: Browser, t: Terminal): Promise<Page> {
  const context = await browser.newContext({ baseURL: t.base });
  const page = await context.newPage();
  await page.goto(t.loginUrl);
  await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible({ timeout: 30_000 });
  return page;
}

test('two windows on two terminals of one PostgreSQL: a seat held at one turns held at the other, which cannot take it', async ({ browser }, testInfo) => {
  const [ta, tb] = pg.terminals as [Terminal, Terminal];
  const { eventId, ticketIds } = await seatedEvent(ta, { rows: 'A-E', seats: 12, name: 'Two Windows Gala' });
  const seat = ticketIds[20]!;

  const a = await windowOn(browser, ta);
  const b = await windowOn(browser, tb);
  const dot = (p: Page) => p.locator(`circle[data-ticket-id="${seat}"]`);
  for (const p of [a, b]) {
    await p.goto(`/#/seats/${eventId}`);
    await expect(p.getByRole('heading', { level: 1, name: /Two Windows Gala/ })).toBeVisible({ timeout: 30_000 });
    await expect(dot(p)).toHaveAttribute('data-status', 'available', { timeout: 30_000 });
  }
  const terminalA = (await a.getByTestId('terminal-id').innerText()).trim();
  expect(terminalA).not.toBe((await b.getByTestId('terminal-id').innerText()).trim());
  await shot(b, testInfo, 'pg-two-terminals-b-before');

  // Timestamps in the pages themselves (one machine, one clock): A's click, and the moment B's seat turns held.
  await a.evaluate((id) => {
    document.addEventListener('click', (e) => {
      if ((e.target as Element).closest?.(`[data-ticket-id="${id}"]`)) (window as unknown as { clickedAt: number }).clickedAt = Date.now();
    }, { capture: true });
  }, seat);
  await b.evaluate((id) => {
    const w = window as unknown as { heldAt?: number };
    new MutationObserver(() => {
      if (w.heldAt === undefined && document.querySelector(`circle[data-ticket-id="${id}"]`)?.getAttribute('data-status') === 'held') w.heldAt = Date.now();
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-status'], childList: true });
  }, seat);

  let answeredAt = 0;
  a.on('response', (r) => {
    if (!answeredAt && r.request().method() === 'POST' && r.url().endsWith(`/events/${eventId}/holds`)) answeredAt = Date.now();
  });
  await dot(a).click();
  await expect(dot(a)).toHaveAttribute('data-status', 'mine', { timeout: 30_000 });
  // Generous: the measurement below is the figure, not this wait.
  await expect(dot(b)).toHaveAttribute('data-status', 'held', { timeout: 30_000 });
  const clickedAt = await a.evaluate(() => (window as unknown as { clickedAt: number }).clickedAt);
  const heldAt = await b.evaluate(() => (window as unknown as { heldAt: number }).heldAt);
  const latency = heldAt - clickedAt;
  const sinceAnswer = answeredAt ? heldAt - answeredAt : null;
  console.log(`[postgres-two-terminals] click at terminal A → seat held on terminal B's map: ${latency} ms (after A's hold answer: ${sinceAnswer ?? 'n/a'} ms)`);
  testInfo.annotations.push({ type: 'cross-terminal latency', description: `${latency} ms from the click at A to the seat turning held at B` });
  await shot(a, testInfo, 'pg-two-terminals-a-holds');
  await shot(b, testInfo, 'pg-two-terminals-b-sees-held');

  // B cannot take it: refused with a clear message, and the seat stays A's in the database.
  await dot(b).click();
  await expect(b.getByTestId('seat-message')).toContainText('held at another terminal', { timeout: 30_000 });
  await expect(dot(b)).toHaveAttribute('data-status', 'held');
  await shot(b, testInfo, 'pg-two-terminals-b-refused');
  const holds = await withDb(pg.url, (c) => c.query<{ holder: string }>('SELECT holder FROM seat_holds WHERE ticket_id = $1', [seat]));
  expect(holds.rows).toHaveLength(1);
  expect(holds.rows[0]!.holder).toContain(terminalA);

  // A releases; B sees it free again and now takes it.
  await dot(a).click();
  await expect(dot(a)).toHaveAttribute('data-status', 'available', { timeout: 30_000 });
  await expect(dot(b)).toHaveAttribute('data-status', 'available', { timeout: 30_000 });
  await dot(b).click();
  await expect(dot(b)).toHaveAttribute('data-status', 'mine', { timeout: 30_000 });
  await expect(dot(a)).toHaveAttribute('data-status', 'held', { timeout: 30_000 });
  await shot(a, testInfo, 'pg-two-terminals-a-sees-b');
  await dot(b).click();
  await expect(dot(b)).toHaveAttribute('data-status', 'available', { timeout: 30_000 });
  await a.context().close();
  await b.context().close();
});
