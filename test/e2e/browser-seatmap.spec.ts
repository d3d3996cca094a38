import { api, expect, shot, signedInPage, test } from './support/fixtures.js';

interface SeatMap {
  eventId: number;
  seats: { ticketId: number | null; section: string; row: string; seat: string; status: string }[];
}

test('two terminals: one holds a seat, the other sees it turn held live and cannot take it; after release it can', async ({ browser }, testInfo) => {
  const { items } = await api<{ items: { eventId: number; name: string; seatCount: number }[] }>('/api/v1/seat-maps');
  const cinema = items.find((e) => e.name.startsWith('Midnight Matinee'))!;
  expect(cinema.seatCount).toBe(150);
  const map = await api<SeatMap>(`/api/v1/events/${cinema.eventId}/seat-map`);
  const seat = map.seats.find((s) => s.row === 'E' && s.status === 'available')!;
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
  const other = map.seats.find((s) => s.row === 'F' && s.status === 'available')!;
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
