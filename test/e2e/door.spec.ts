import { isoDay } from './support/dates.js';
import { api, expect, serverBase, shot, signedInPage, test } from './support/fixtures.js';
import { sellOne } from './support/door-sales.js';

interface EventItem {
  id: number;
  name: string;
  ticketsAvailable: number;
}
const seatWords = (t: { section: string; row: string; seat: string | null }) => `Sec ${t.section} Row ${t.row}${t.seat ? ` Seat ${t.seat}` : ''}`;

test('a door account lands on the Door screen: admit once, then red for a second scan, a refund and a forgery', async ({ browser }, testInfo) => {
  const events = await api<{ items: EventItem[] }>(`/api/v1/events?city=Chicago&from=${isoDay(0)}&to=${isoDay(70)}`);
  const event = events.items.find((e) => e.ticketsAvailable >= 2)!;
  expect(event).toBeDefined();
  const first = await sellOne(event.id);
  const second = await sellOne(event.id);

  const username = `door${Date.now() % 100000}`;
  await api('/api/v1/users', { json: { username, displayName: 'Dana Door', role: 'door', pin: '2468' } });
  const context = await browser.newContext({ baseURL: serverBase() });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('radio', { name: 'PIN' }).check({ force: true });
  await page.getByLabel('Username').fill(username);
  for (const d of '2468') await page.getByRole('button', { name: `Digit ${d}` }).click();
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();

  // Home for the door role, and nothing it cannot use in the nav.
  await expect(page.getByRole('heading', { level: 1, name: 'Door check-in' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Screens' });
  await expect(nav.locator('a[href="#/door"]')).toBeVisible();
  for (const hidden of ['events', 'sell', 'orders', 'dashboard', 'users']) await expect(nav.locator(`a[href="#/${hidden}"]`)).toHaveCount(0);

  await page.getByLabel('Event').selectOption(String(event.id));
  await page.getByLabel('Door', { exact: true }).fill('Door 2');
  const code = page.getByLabel('Ticket code');
  const answer = page.getByTestId('door-answer');
  await code.focus();
  await shot(page, testInfo, 'door-01-ready');

  // A keyboard-wedge scanner types the code and presses Enter.
  await page.keyboard.type(first.ticket.code);
  await page.keyboard.press('Enter');
  await expect(answer).toHaveClass(/door-admit/);
  await expect(answer).toContainText(`Admit 1 — ${seatWords(first.ticket)}`);
  await expect(code).toHaveValue('');
  await expect(code).toBeFocused();
  await shot(page, testInfo, 'door-02-admit');

  // The same ticket again (typed as printed, with dashes): red, with the local time and the door.
  await page.keyboard.type(first.ticket.display);
  await page.keyboard.press('Enter');
  await expect(answer).toHaveClass(/door-refuse/);
  await expect(answer).toContainText(/Already scanned at \d{2}:\d{2} by Door 2/);
  await expect(code).toBeFocused();
  await shot(page, testInfo, 'door-03-already');

  await api(`/api/v1/orders/${second.orderCode}/refund`, { json: { reason: 'e2e: customer changed plans' } });
  await page.keyboard.type(second.ticket.code);
  await page.keyboard.press('Enter');
  await expect(answer).toHaveClass(/door-refuse/);
  await expect(answer.locator('.door-title')).toHaveText('Refunded');
  await shot(page, testInfo, 'door-04-refunded');

  // One character changed: the signature no longer matches.
  const c = first.ticket.code;
  const forged = c.slice(0, -1) + (c.endsWith('A') ? 'B' : 'A');
  await page.keyboard.type(forged);
  await page.keyboard.press('Enter');
  await expect(answer.locator('.door-title')).toHaveText('Not a valid code');
  await expect(code).toHaveValue('');
  await shot(page, testInfo, 'door-05-invalid');

  // The door name is remembered for the next shift on this browser.
  await page.reload();
  await expect(page.getByLabel('Door', { exact: true })).toHaveValue('Door 2');
  await expect(page.getByLabel('Ticket code')).toBeFocused();
  await context.close();

  // The organizer's dashboard: checked in against sold for the event, arrivals charted.
  const counts = await api<{ checkedIn: number; sold: number }>(`/api/v1/events/${event.id}/check-in-counts`);
  expect(counts.checkedIn).toBeGreaterThanOrEqual(1);
  const organizer = await signedInPage(browser);
  await organizer.goto('/#/dashboard');
  const door = organizer.getByTestId('door-arrivals');
  await door.getByLabel('Event').selectOption(String(event.id));
  await expect(door.getByTestId('door-checked-in')).toHaveText(`${counts.checkedIn.toLocaleString('en-US')} / ${counts.sold.toLocaleString('en-US')}`);
  await expect(door.getByRole('img', { name: /Arrivals per 15 minutes: \d{2}:\d{2} \d+/ })).toBeVisible();
  await expect(door.getByRole('table', { name: 'Latest scans' })).toContainText('Door 2');
  await door.scrollIntoViewIfNeeded();
  await shot(organizer, testInfo, 'door-06-organizer');
});
