import { isoDay } from './support/dates.js';
import { api, expect, serverBase, shot, signedInPage, test } from './support/fixtures.js';
import { E2E_TOKEN } from './support/server-env.js';

interface EventItem {
  id: number;
  name: string;
}

test('a seller posts a listing (validated form) and the tickets appear in the event list', async ({ browser }, testInfo) => {
  const events = await api<{ items: EventItem[] }>(`/api/v1/events?city=Denver&from=${isoDay(0)}&to=${isoDay(70)}`);
  const event = events.items[0]!;
  const page = await signedInPage(browser);
  await page.goto('/#/sellers');
  await expect(page.getByRole('heading', { level: 1, name: 'Sellers' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Sellers' }).locator('tbody tr')).not.toHaveCount(0);

  // Nothing filled in: the form says what is missing and nothing is sent.
  await page.getByRole('button', { name: 'Post listing' }).click();
  await expect(page.getByText('Choose an event')).toBeVisible();
  await expect(page.getByText('Section is required')).toBeVisible();
  await expect(page.getByText('Give a quantity or the seat numbers')).toBeVisible();
  await page.getByLabel('Price each ($)').fill('12.345');
  await page.getByRole('button', { name: 'Post listing' }).click();
  await expect(page.getByText('Write a price such as 45 or 45.50')).toBeVisible();
  await shot(page, testInfo, '10-sellers-validation');

  await page.getByLabel('Event', { exact: true }).selectOption(String(event.id));
  await page.getByLabel('Seller', { exact: true }).selectOption('new');
  await page.getByLabel("New seller's name").fill('E2E Resale Desk');
  await page.getByRole('textbox', { name: 'Section' }).fill('E2E');
  await page.getByLabel('Row').fill('K');
  await page.getByLabel('Seats (optional)').fill('7, 8, 9');
  await page.getByLabel('Price each ($)').fill('33.50');
  await page.getByRole('button', { name: 'Post listing' }).click();
  const posted = page.getByTestId('listing-posted');
  await expect(posted).toContainText('Posted 3 tickets in section E2E, row K at $33.50');
  await expect(page.getByRole('table', { name: 'Sellers' })).toContainText('E2E Resale Desk');
  await shot(page, testInfo, '11-sellers-posted');

  await posted.getByRole('link', { name: /See them/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: event.name })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Section' })).toHaveValue('E2E');
  // One row for the listing (its three seats), which opens to the seats themselves.
  const rows = page.getByTestId('listing-row');
  await expect(rows).toHaveCount(1);
  const listing = rows.filter({ hasText: 'E2E Resale Desk' }).filter({ hasText: `$33.50` });
  await expect(listing.getByTestId('listing-available')).toHaveText('3');
  await expect(listing).toContainText('7–9');
  await listing.getByRole('button', { name: /^Pick seats of/ }).click();
  for (const seat of ['7', '8', '9']) await expect(listing.getByTestId('seat-pick').getByText(seat, { exact: true })).toHaveCount(1);
  await shot(page, testInfo, '12-event-with-listing');
  await page.context().close();
});

test('the ticket list is virtualized: thousands of listings, only a screenful of rows in the page', async ({ browser }, testInfo) => {
  const events = await api<{ items: (EventItem & { ticketsAvailable: number })[] }>(`/api/v1/events?city=Toronto&from=${isoDay(0)}&to=${isoDay(70)}`);
  const event = events.items[0]!;
  // 1,500 listings of 2 (one row each, rows 0001…1500) through the CSV import.
  const csv = ['eventId,section,quantity,price,row', ...Array.from({ length: 1500 }, (_, i) => `${event.id},BULK,2,25.00,${String(i + 1).padStart(4, '0')}`)].join('\n');
  const imported = await fetch(`${serverBase()}/api/v1/imports?fileName=bulk-listings.csv`, { method: 'POST', headers: { authorization: `Bearer ${E2E_TOKEN}`, 'content-type': 'text/csv' }, body: csv });
  expect(imported.status).toBe(201);
  const page = await signedInPage(browser);
  await page.goto(`/#/events/${event.id}`);
  await expect(page.getByTestId('ticket-count')).toHaveText(`${event.ticketsAvailable + 3000} tickets available`);
  const rendered = await page.getByTestId('listing-row').count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(100);
  // Scrolling to the end pages in the rest and still keeps the DOM small.
  const list = page.getByTestId('ticket-list');
  // The last listing of the whole list, walked by cursor through the API.
  const all: { listingId: number }[] = [];
  let total = 0;
  for (let cursor: string | null = null; ; ) {
    const p: { items: { listingId: number }[]; total: number; nextCursor: string | null } = await api(`/api/v1/events/${event.id}/listings?sort=price&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    all.push(...p.items);
    total = p.total;
    cursor = p.nextCursor;
    if (!cursor) break;
  }
  expect(all.length).toBe(total);
  expect(total).toBeGreaterThan(1500);
  const lastId = String(all.at(-1)!.listingId);
  for (let i = 0; i < 30; i++) {
    await list.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.waitForTimeout(100);
    if ((await page.getByTestId('listing-row').last().getAttribute('data-listing-id')) === lastId) break;
  }
  // The last row on screen is the last listing of the whole list: every page was fetched by cursor.
  await expect(page.getByTestId('listing-row').last()).toHaveAttribute('data-listing-id', lastId);
  await expect(page.getByTestId('listing-row').last()).toBeVisible();
  expect(await page.getByTestId('listing-row').count()).toBeLessThan(100);
  await shot(page, testInfo, '13-event-tickets-scrolled');
  await page.context().close();
});
