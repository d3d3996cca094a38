import { isoDay } from './support/dates.js';
import { api, expect, shot, signedInPage, test } from './support/fixtures.js';

interface EventItem {
  id: number;
  name: string;
  ticketsAvailable: number;
}
interface Posted {
  listing: { id: number };
  tickets: { id: number }[];
}

test('a listing of six identical seats is one row; take 3 of it, the count drops by 3 and the order has 3 tickets', async ({ browser }, testInfo) => {
  const events = await api<{ items: EventItem[] }>(`/api/v1/events?city=New%20Orleans&from=${isoDay(0)}&to=${isoDay(70)}`);
  const event = events.items[0]!;
  const posted = await api<Posted>('/api/v1/tickets', {
    json: { eventId: event.id, seller: { name: 'Group Desk', email: 'group.desk@example.org' }, section: 'GRP', row: '08', quantity: 6, priceCents: 1900 },
  });
  // A second listing, same section and row but another price: a group of its own.
  await api('/api/v1/tickets', { json: { eventId: event.id, seller: { name: 'Group Desk', email: 'group.desk@example.org' }, section: 'GRP', row: '08', quantity: 2, priceCents: 2400 } });

  const page = await signedInPage(browser);
  await page.goto(`/#/events/${event.id}`);
  await expect(page.getByRole('heading', { level: 1, name: event.name })).toBeVisible();
  await expect(page.getByTestId('ticket-count')).toHaveText(`${event.ticketsAvailable + 8} tickets available`);
  await page.getByRole('textbox', { name: 'Section' }).fill('GRP');
  await page.getByRole('button', { name: 'Apply' }).click();
  const rows = page.getByTestId('listing-row');
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('ticket-count')).toHaveText('8 tickets available');
  await expect(page.getByTestId('listing-count')).toHaveText('in 2 listings');
  const row = page.locator(`[data-listing-id="${posted.listing.id}"]`);
  await expect(row).toContainText('GRP');
  await expect(row).toContainText('08');
  await expect(row).toContainText('Group Desk');
  await expect(row).toContainText('$19.00');
  await expect(row.getByTestId('listing-available')).toHaveText('6');
  // Cheapest first: the $19 listing, then the $24 one.
  await expect(rows.nth(0)).toHaveAttribute('data-listing-id', String(posted.listing.id));

  // Quantity 3: two presses of +, then the same field typed, both land on 3.
  await row.getByRole('button', { name: /^One more of/ }).click();
  await row.getByRole('button', { name: /^One more of/ }).click();
  await expect(row.getByRole('spinbutton')).toHaveValue('3');
  await row.getByRole('spinbutton').fill('3');
  await expect(row.getByRole('button', { name: 'Sell 3' })).toBeVisible();
  // Never more than are left.
  await row.getByRole('spinbutton').fill('9');
  await expect(row.getByRole('spinbutton')).toHaveValue('6');
  await row.getByRole('spinbutton').fill('3');
  await shot(page, testInfo, '16-listings-grouped');

  await row.getByRole('button', { name: 'Sell 3' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sell' })).toBeVisible();
  await expect(page.getByTestId('sale-quantity')).toHaveText('3');
  await expect(page.getByTestId('sale-total')).toHaveText('$57.00');
  await shot(page, testInfo, '17-listings-sell-3');
  await page.getByLabel('Cash handed over ($)').fill('60');
  await expect(page.getByTestId('change-due')).toHaveText('$3.00');
  await page.getByLabel('Cash handed over ($)').press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Sale complete' })).toBeVisible();
  await expect(page.getByTestId('receipt-line')).toHaveCount(3);
  const code = (await page.getByTestId('order-code').innerText()).trim();
  const order = await api<{ lines: { ticketId: number; section: string; row: string }[]; totalCents: number }>(`/api/v1/orders/${code}`);
  expect(order.lines).toHaveLength(3);
  const listingTickets = new Set(posted.tickets.map((t) => t.id));
  expect(order.lines.every((l) => listingTickets.has(l.ticketId) && l.section === 'GRP' && l.row === '08')).toBe(true);
  expect(new Set(order.lines.map((l) => l.ticketId)).size).toBe(3);
  expect(order.totalCents).toBe(5700);

  // Back on the event: the same row, 3 of 6 left.
  await page.goto(`/#/events/${event.id}`);
  await page.getByRole('textbox', { name: 'Section' }).fill('GRP');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(row.getByTestId('listing-available')).toHaveText('3');
  await expect(row).toContainText('3 of 6');
  await expect(page.getByTestId('ticket-count')).toHaveText('5 tickets available');
  await shot(page, testInfo, '18-listings-after-sale');

  // Keyboard: in the quantity field + raises it, Enter sells that many, F9 confirms.
  await row.getByRole('spinbutton').focus();
  await page.keyboard.press('+');
  await expect(row.getByRole('spinbutton')).toHaveValue('2');
  await page.keyboard.press('ArrowDown');
  await expect(rows.nth(1).getByRole('spinbutton')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(row.getByRole('spinbutton')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('sale-quantity')).toHaveText('2');
  await page.keyboard.press('F9');
  await expect(page.getByRole('heading', { level: 1, name: 'Sale complete' })).toBeVisible();
  await expect(page.getByTestId('receipt-line')).toHaveCount(2);
  const left = await api<{ items: { listingId: number; available: number }[] }>(`/api/v1/events/${event.id}/listings?section=GRP`);
  expect(left.items.find((g) => g.listingId === posted.listing.id)?.available).toBe(1);
  await page.context().close();
});

test('numbered seats: open the listing, pick single seats by hand', async ({ browser }, testInfo) => {
  const events = await api<{ items: EventItem[] }>(`/api/v1/events?city=New%20Orleans&from=${isoDay(0)}&to=${isoDay(70)}`);
  const event = events.items[0]!;
  const posted = await api<Posted>('/api/v1/tickets', {
    json: { eventId: event.id, sellerId: 1, section: 'NUM', row: '03', seats: ['1', '2', '3', '4', '5', '6'], priceCents: 3100 },
  });
  const page = await signedInPage(browser);
  await page.goto(`/#/events/${event.id}`);
  await page.getByRole('textbox', { name: 'Section' }).fill('NUM');
  await page.getByRole('button', { name: 'Apply' }).click();
  const row = page.locator(`[data-listing-id="${posted.listing.id}"]`);
  await expect(row).toContainText('1–6');
  await expect(row.getByTestId('seat-pick')).toHaveCount(0);
  await row.getByRole('button', { name: /^Pick seats of/ }).click();
  await expect(row.getByTestId('seat-pick')).toHaveCount(6);
  await row.getByRole('checkbox', { name: /seat 2,/ }).check();
  await row.getByRole('checkbox', { name: /seat 5,/ }).check();
  await shot(page, testInfo, '19-listings-numbered-open');
  await page.getByRole('button', { name: 'Sell selected (2)' }).click();
  await expect(page.getByTestId('sale-line')).toHaveCount(2);
  await page.locator('label', { hasText: 'Card' }).click();
  await page.getByRole('button', { name: /Confirm sale/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sale complete' })).toBeVisible();
  const code = (await page.getByTestId('order-code').innerText()).trim();
  const order = await api<{ lines: { ticketId: number }[] }>(`/api/v1/orders/${code}`);
  expect(order.lines.map((l) => l.ticketId).sort((a, b) => a - b)).toEqual([posted.tickets[1]!.id, posted.tickets[4]!.id]);
  await page.goto(`/#/events/${event.id}`);
  await page.getByRole('textbox', { name: 'Section' }).fill('NUM');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(row.getByTestId('listing-available')).toHaveText('4');
  await expect(row).toContainText('1, 3–4, 6');
  await page.context().close();
});
