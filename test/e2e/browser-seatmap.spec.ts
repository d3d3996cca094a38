import { seatsFromColumns, type SeatColumns } from '../../shared/seat-columns.js';
import type { Browser } from '@playwright/test';
import { api, expect, shot, signedInPage, test } from './support/fixtures.js';

interface SeatMap {
  eventId: number;
  seats: SeatColumns;
}

test('two terminals: one holds a seat, the other sees it turn held live and cannot take it; after release it can', async ({ browser }, testInfo) => {
  const { items } = await api<{ items: { eventId: number; name: string; seatCount: number }[] }>('/api/v1/seat-maps');
  const cinema = items.find((e) => e.name.startsWith('Midnight Matinee'))!;
  expect(cinema.seatCount).toBe(150);
  const seats = seatsFromColumns((await api<SeatMap>(`/api/v1/events/${cinema.eventId}/seat-map`)).seats);
  const seat = seats.find((s) => s.row === 'E' && s.status === 'available')!;
  const dot = (p: Awaited<ReturnType<typeof signedInPage>>) => p.locator(`circle[data-ticket-id="${seat.ticketId}"]`);

  const a = await signedInPage(browser);
  const b = await signedInPage(browser);
  for (const p of [a, b]) {
    await p.goto(`/#/seats/${cinema.eventId}`);
    await expect(p.getByRole('heading', { level: 1, name: /Midnight Matinee/ })).toBeVisible();
    await expect(dot(p)).toHaveAttribute('data-status', 'available');
  }
  expect(await a.getByTestId('terminal-id').innerText()).not.toBe(await b.getByTestId('terminal-id').innerText());

  // A clicks: held by A, and B's map turns it "held" without a reload.
  await dot(a).click();
  await expect(dot(a)).toHaveAttribute('data-status', 'mine');
  await expect(a.getByTestId('my-holds')).toContainText(`Row ${seat.row} · Seat ${seat.seat}`);
  await expect(dot(b)).toHaveAttribute('data-status', 'held');
  await shot(a, testInfo, 'seatmap-a-holds');

  // B cannot take it: a clear message, and the seat stays A's.
  await dot(b).click();
  await expect(b.getByTestId('seat-message')).toContainText('held at another terminal');
  await expect(dot(b)).toHaveAttribute('data-status', 'held');
  await shot(b, testInfo, 'seatmap-b-refused');

  // A clicks again to release; B sees it free and takes it; A now sees it held elsewhere.
  await dot(a).click();
  await expect(dot(a)).toHaveAttribute('data-status', 'available');
  await expect(dot(b)).toHaveAttribute('data-status', 'available');
  await dot(b).click();
  await expect(dot(b)).toHaveAttribute('data-status', 'mine');
  await expect(dot(a)).toHaveAttribute('data-status', 'held');

  // A hold made through the HTTP API shows up live too.
  const other = seats.find((s) => s.row === 'F' && s.status === 'available')!;
  await api(`/api/v1/events/${cinema.eventId}/holds`, { json: { ticketIds: [other.ticketId], holder: 'api-terminal' } });
  await expect(a.locator(`circle[data-ticket-id="${other.ticketId}"]`)).toHaveAttribute('data-status', 'held');
  await api(`/api/v1/events/${cinema.eventId}/holds/release`, { json: { ticketIds: [other.ticketId], holder: 'api-terminal' } });
  await expect(a.locator(`circle[data-ticket-id="${other.ticketId}"]`)).toHaveAttribute('data-status', 'available');

  // Clean up: B releases.
  await dot(b).click();
  await expect(dot(b)).toHaveAttribute('data-status', 'available');
  await a.context().close();
  await b.context().close();
});

test('keyboard: arrow keys move across seats, Enter holds and releases; the legend names zones and prices', async ({ browser }, testInfo) => {
  const { items } = await api<{ items: { eventId: number; name: string }[] }>('/api/v1/seat-maps');
  const cinema = items.find((e) => e.name.startsWith('Midnight Matinee'))!;
  const page = await signedInPage(browser);
  await page.goto(`/#/seats/${cinema.eventId}`);
  await expect(page.getByRole('list', { name: 'Legend' })).toContainText('premium');
  const frame = page.getByTestId('seat-map');
  await frame.focus();
  await page.keyboard.press('ArrowRight');
  const first = await page.getByTestId('seat-focus').innerText();
  expect(first).toMatch(/Row [A-J] · Seat \d+: available/);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  const moved = await page.getByTestId('seat-focus').innerText();
  expect(moved).not.toBe(first);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('seat-focus')).toContainText('held by you');
  await shot(page, testInfo, 'seatmap-keyboard');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('seat-focus')).toContainText(': available');
  await page.context().close();
});

/** Holds the first two free seats of a cinema row on the seat map and takes them to the Sell screen. */
async function holdTwoAndSell(browser: Browser, row: string) {
  const { items } = await api<{ items: { eventId: number; name: string }[] }>('/api/v1/seat-maps');
  const cinema = items.find((e) => e.name.startsWith('Midnight Matinee'))!;
  const seats = seatsFromColumns((await api<SeatMap>(`/api/v1/events/${cinema.eventId}/seat-map`)).seats);
  const pair = seats.filter((s) => s.row === row && s.status === 'available').slice(0, 2);
  expect(pair).toHaveLength(2);
  const page = await signedInPage(browser);
  await page.goto(`/#/seats/${cinema.eventId}`);
  for (const s of pair) {
    await page.locator(`circle[data-ticket-id="${s.ticketId}"]`).click();
    await expect(page.locator(`circle[data-ticket-id="${s.ticketId}"]`)).toHaveAttribute('data-status', 'mine');
  }
  await page.getByRole('button', { name: /^Sell 2 seat\(s\)/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sell' })).toBeVisible();
  await expect(page.getByTestId('sale-line')).toHaveCount(2);
  return { cinema, pair, page };
}

test('seats held on the map sell on the Sell screen as this terminal\'s holds, for cash with change', async ({ browser }, testInfo) => {
  const { cinema, pair, page } = await holdTwoAndSell(browser, 'G');
  const totalCents = pair.reduce((n, s) => n + s.priceCents!, 0);
  await expect(page.getByTestId('sale-line').first()).toContainText(`Row ${pair[0]!.row}`);
  const tendered = totalCents + 1000;
  await page.getByLabel('Cash handed over ($)').fill((tendered / 100).toFixed(2));
  await shot(page, testInfo, 'seatmap-sell-screen');
  await page.getByLabel('Cash handed over ($)').press('Enter');
  // Without the terminal's holder the server reads the seats as held elsewhere and the sale is refused.
  await expect(page.getByRole('heading', { level: 1, name: 'Sale complete' })).toBeVisible();
  const code = (await page.getByTestId('order-code').innerText()).trim();
  const order = await api<{ lines: { ticketId: number }[]; payments: { tender: string; changeDueCents: number }[] }>(`/api/v1/orders/${code}`);
  expect(order.lines.map((l) => l.ticketId).sort((a, b) => a - b)).toEqual(pair.map((s) => s.ticketId).sort((a, b) => a! - b!));
  expect(order.payments[0]).toMatchObject({ tender: 'cash', changeDueCents: 1000 });

  // Back on the map (no reload): both seats show sold, and nothing is held by this terminal any more.
  await page.goto(`/#/seats/${cinema.eventId}`);
  for (const s of pair) await expect(page.locator(`circle[data-ticket-id="${s.ticketId}"]`)).toHaveAttribute('data-status', 'sold');
  await expect(page.getByTestId('my-holds')).toBeEmpty();
  const after = seatsFromColumns((await api<SeatMap>(`/api/v1/events/${cinema.eventId}/seat-map`)).seats);
  expect(after.filter((s) => pair.some((p) => p.ticketId === s.ticketId)).map((s) => s.status)).toEqual(['sold', 'sold']);
  await page.context().close();
});

test('removing a held seat from the Sell screen gives it back at once, not when the hold runs out', async ({ browser }) => {
  const { cinema, pair, page } = await holdTwoAndSell(browser, 'J');
  const statusOf = async (ticketId: number) =>
    seatsFromColumns((await api<SeatMap>(`/api/v1/events/${cinema.eventId}/seat-map`)).seats).find((s) => s.ticketId === ticketId)!.status;
  expect(await statusOf(pair[1]!.ticketId!)).toBe('held');
  await page.getByTestId('sale-line').nth(1).getByRole('button', { name: /^Remove/ }).click();
  await expect(page.getByTestId('sale-line')).toHaveCount(1);
  await expect.poll(() => statusOf(pair[1]!.ticketId!)).toBe('available');
  // the seat still in the sale stays held for this terminal
  expect(await statusOf(pair[0]!.ticketId!)).toBe('held');
  await page.context().close();
});
