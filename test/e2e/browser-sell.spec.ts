import { centsOf, isoDay } from './support/dates.js';
import { api, expect, shot, signedInPage, test } from './support/fixtures.js';

interface Best {
  ticket: { id: number; listingId: number; section: string; row: string; seat: string | null; priceCents: number };
  reason: string;
}
interface EventItem {
  id: number;
  name: string;
  venue: { city: string };
  ticketsAvailable: number;
}

test('search by city and date, take the best ticket, sell it for cash with change, and see it leave the list', async ({ browser }, testInfo) => {
  const page = await signedInPage(browser);
  await page.goto('/#/events');
  await expect(page.getByRole('heading', { level: 1, name: 'Events' })).toBeVisible();
  await shot(page, testInfo, '01-events');

  const from = isoDay(0);
  const to = isoDay(70);
  await page.getByLabel('City').fill('Chicago');
  await page.getByLabel('From').fill(from);
  await page.getByLabel('To').fill(to);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/city=Chicago/);

  const expected = await api<{ items: EventItem[] }>(`/api/v1/events?city=Chicago&from=${from}&to=${to}`);
  expect(expected.items.length).toBeGreaterThan(0);
  const cards = page.getByTestId('event-card');
  await expect(cards).toHaveCount(expected.items.length);
  for (const text of await cards.allInnerTexts()) expect(text).toContain('Chicago');
  await shot(page, testInfo, '02-events-chicago');

  const event = expected.items.find((e) => e.ticketsAvailable > 0)!;
  await cards.filter({ hasText: event.name }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: event.name })).toBeVisible();
  await expect(page.getByTestId('ticket-count')).toHaveText(`${event.ticketsAvailable} tickets available`);

  // What the server calls best is what the panel offers, with its reason in plain words.
  const best = await api<Best>(`/api/v1/events/${event.id}/tickets/best?strategy=value&quantity=1`);
  const panel = page.getByTestId('best-ticket');
  await expect(panel.getByTestId('best-reason')).toHaveText(best.reason);
  await expect(panel.getByTestId('best-seat')).toContainText(`Sec ${best.ticket.section} · Row ${best.ticket.row}`);

  // Narrow the list to the best ticket's section so every row is rendered, and see the ticket there:
  // in its listing's row (one row per listing), counted among the section's tickets.
  await page.getByRole('textbox', { name: 'Section' }).fill(best.ticket.section);
  await page.getByRole('button', { name: 'Apply' }).click();
  const bestListing = page.locator(`[data-listing-id="${best.ticket.listingId}"]`);
  await expect(bestListing).toHaveCount(1);
  const listingLeftBefore = Number(await bestListing.getByTestId('listing-available').innerText());
  expect(listingLeftBefore).toBeGreaterThan(0);
  const sectionCountBefore = (await api<{ ticketsAvailable: number }>(`/api/v1/events/${event.id}/listings?section=${encodeURIComponent(best.ticket.section)}`)).ticketsAvailable;
  await expect(page.getByTestId('ticket-count')).toHaveText(`${sectionCountBefore} tickets available`);
  await shot(page, testInfo, '03-event-tickets');

  await panel.getByRole('button', { name: /Take best ticket/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sell' })).toBeVisible();
  await expect(page.getByTestId('sale-line')).toHaveCount(1);
  const totalCents = centsOf(await page.getByTestId('sale-total').innerText());
  expect(totalCents).toBe(best.ticket.priceCents);

  // Cash: the clerk types what was handed over and sees the change before confirming.
  const tendered = Math.ceil(totalCents / 10000) * 10000 + 2000;
  const tenderedInput = page.getByLabel('Cash handed over ($)');
  await expect(tenderedInput).toBeFocused();
  await tenderedInput.fill((tendered / 100).toFixed(2));
  await expect(page.getByTestId('change-due')).toHaveText(`$${((tendered - totalCents) / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
  await shot(page, testInfo, '04-sell-cash');

  await tenderedInput.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Sale complete' })).toBeVisible();
  const code = (await page.getByTestId('order-code').innerText()).trim();
  expect(code.length).toBeGreaterThan(4);
  await expect(page.getByTestId('change-notice')).toContainText(`$${((tendered - totalCents) / 100).toFixed(2)}`);
  const qr = page.getByTestId('order-qr');
  await expect(qr).toBeVisible();
  expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(100);
  await expect(page.getByTestId('receipt-event')).toHaveText(event.name);
  await expect(page.getByTestId('receipt-line')).toContainText(`Section ${best.ticket.section} · Row ${best.ticket.row}`);
  await shot(page, testInfo, '05-confirmation');
  await page.emulateMedia({ media: 'print' });
  await shot(page, testInfo, '06-confirmation-print');
  await page.emulateMedia({ media: 'screen' });

  const order = await api<{ code: string; lines: { ticketId: number }[]; payments: { tender: string; changeDueCents: number }[] }>(`/api/v1/orders/${code}`);
  expect(order.lines.map((l) => l.ticketId)).toEqual([best.ticket.id]);
  expect(order.payments[0]).toMatchObject({ tender: 'cash', changeDueCents: tendered - totalCents });

  // Back on the event, the sold ticket is gone from the list and the count dropped by one.
  await page.goto(`/#/events/${event.id}`);
  await expect(page.getByTestId('ticket-count')).toHaveText(`${event.ticketsAvailable - 1} tickets available`);
  await page.getByRole('textbox', { name: 'Section' }).fill(best.ticket.section);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('ticket-count')).toHaveText(`${sectionCountBefore - 1} tickets available`);
  if (listingLeftBefore === 1) await expect(bestListing).toHaveCount(0);
  else await expect(bestListing.getByTestId('listing-available')).toHaveText(String(listingLeftBefore - 1));
  const left = await api<{ items: { listingId: number; seats: { ticketId: number }[] | null }[] }>(`/api/v1/events/${event.id}/listings?section=${encodeURIComponent(best.ticket.section)}`);
  expect(left.items.flatMap((g) => (g.seats ?? []).map((s) => s.ticketId))).not.toContain(best.ticket.id);

  // The order can be found again by its code.
  await page.getByRole('link', { name: /Orders/ }).click();
  await page.getByLabel('Order code, name or email').fill(code);
  await page.getByRole('button', { name: 'Find' }).click();
  const rows = page.getByRole('table', { name: 'Matching orders' }).locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(code);
  await shot(page, testInfo, '07-orders');
  await rows.first().getByRole('link').click();
  await expect(page.getByTestId('order-code')).toHaveText(code);
  await page.context().close();
});

test('two clerks sell the same ticket at once: one sale, and a plain "sold elsewhere" for the other', async ({ browser }, testInfo) => {
  const events = await api<{ items: EventItem[] }>(`/api/v1/events?city=Seattle&from=${isoDay(0)}&to=${isoDay(70)}`);
  const event = events.items.find((e) => e.ticketsAvailable > 0)!;
  const best = await api<Best>(`/api/v1/events/${event.id}/tickets/best?strategy=cheapest&quantity=1`);

  const clerks = [await signedInPage(browser), await signedInPage(browser)];
  for (const page of clerks) {
    await page.goto(`/#/events/${event.id}`);
    await expect(page.getByRole('heading', { level: 1, name: event.name })).toBeVisible();
    await page.getByTestId('best-ticket').locator('label', { hasText: 'Cheapest' }).click();
    await expect(page.getByTestId('best-seat')).toContainText(`Sec ${best.ticket.section} · Row ${best.ticket.row}`);
    // Keyboard only: F8 takes the best ticket, Tab reaches the tender, F9 confirms.
    await page.keyboard.press('F8');
    await expect(page.getByRole('heading', { level: 1, name: 'Sell' })).toBeVisible();
    await page.getByRole('radio', { name: 'Card' }).focus();
    await page.keyboard.press('Space');
    await expect(page.getByRole('radio', { name: 'Card' })).toBeChecked();
  }
  await shot(clerks[1]!, testInfo, '08-sell-card');

  await Promise.all(clerks.map((page) => page.keyboard.press('F9')));

  const outcome = async (page: (typeof clerks)[number]) => {
    const done = page.getByRole('heading', { level: 1, name: 'Sale complete' });
    const lost = page.getByTestId('sold-elsewhere');
    await expect(done.or(lost)).toBeVisible();
    return (await done.isVisible()) ? 'sold' : 'lost';
  };
  const results = await Promise.all(clerks.map(outcome));
  expect([...results].sort()).toEqual(['lost', 'sold']);

  const loser = clerks[results.indexOf('lost')]!;
  await expect(loser.getByTestId('sold-elsewhere')).toHaveText(/That ticket was just sold elsewhere/);
  await expect(loser.getByTestId('ticket-count')).toHaveText(`${event.ticketsAvailable - 1} tickets available`);
  // The refreshed best ticket is no longer the one that was sold.
  await expect(loser.getByTestId('best-ticket').getByTestId('best-price')).toBeVisible();
  const nextBest = await api<Best>(`/api/v1/events/${event.id}/tickets/best?strategy=cheapest&quantity=1`);
  expect(nextBest.ticket.id).not.toBe(best.ticket.id);
  await shot(loser, testInfo, '09-sold-elsewhere');

  const sold = await api<{ items: { code: string }[] }>('/api/v1/orders?limit=5');
  const detail = await api<{ lines: { ticketId: number }[] }>(`/api/v1/orders/${sold.items[0]!.code}`);
  expect(detail.lines.map((l) => l.ticketId)).toEqual([best.ticket.id]);
  for (const page of clerks) await page.context().close();
});

test('pick two tickets by hand and give them away as comps', async ({ browser }, testInfo) => {
  const events = await api<{ items: EventItem[] }>(`/api/v1/events?city=New%20York&from=${isoDay(0)}&to=${isoDay(70)}`);
  const event = events.items.find((e) => e.ticketsAvailable > 2)!;
  // Single seats are picked by hand where they are numbered: a numbered listing dearer than any other tops the list.
  await api('/api/v1/tickets', { json: { eventId: event.id, sellerId: 1, section: 'VIP', row: '1', seats: ['11', '12', '13'], priceCents: 99_900 } });
  const page = await signedInPage(browser);
  await page.goto(`/#/events/${event.id}`);
  await page.getByLabel('Sort').selectOption('-price');
  const first = page.getByTestId('listing-row').first();
  await expect(first).toContainText('VIP');
  await first.getByRole('button', { name: /^Pick seats of/ }).click();
  const rows = first.getByTestId('seat-pick');
  await expect(rows).toHaveCount(3);
  const picked = [await rows.nth(0).getAttribute('data-ticket-id'), await rows.nth(1).getAttribute('data-ticket-id')].map(Number);
  await rows.nth(0).getByRole('checkbox').check();
  await rows.nth(1).getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Sell selected (2)' }).click();

  await expect(page.getByTestId('sale-line')).toHaveCount(2);
  await page.getByTestId('best-ticket').waitFor({ state: 'detached' });
  await page.locator('label', { hasText: 'Comp' }).click();
  await expect(page.getByTestId('sale-total')).toHaveText('$0.00');
  await page.getByLabel('Name').fill('Guest of the house');
  await page.getByLabel('How did they hear of us? (referral)').selectOption('radio');
  await shot(page, testInfo, '15-sell-comp');
  await page.getByRole('button', { name: /Confirm sale/ }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Sale complete' })).toBeVisible();
  await expect(page.getByTestId('receipt-line')).toHaveCount(2);
  const code = (await page.getByTestId('order-code').innerText()).trim();
  const order = await api<{ lines: { ticketId: number }[]; totalCents: number; referral: string; customer: { name: string } }>(`/api/v1/orders/${code}`);
  expect(order.lines.map((l) => l.ticketId).sort()).toEqual([...picked].sort());
  expect(order).toMatchObject({ totalCents: 0, referral: 'radio', customer: { name: 'Guest of the house' } });
  await page.context().close();
});
