import { centsOf } from './support/dates.js';
import { api, expect, serverBase, shot, signedInPage, test } from './support/fixtures.js';

interface EventItem {
  id: number;
  name: string;
  ticketsAvailable: number;
}
interface AuditPage {
  items: { operation: string; username: string | null; role: string | null; subject: string | null }[];
}

test('a clerk signs in with a PIN, sells, and cannot open admin screens', async ({ browser }, testInfo) => {
  const username = `kiosk${Date.now() % 100000}`;
  // Arranged by the admin over the API (the server token is the admin's first token).
  await api('/api/v1/users', { json: { username, displayName: 'Kim Kiosk', role: 'clerk', pin: '5791' } });

  const context = await browser.newContext({ baseURL: serverBase() });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await page.getByRole('radio', { name: 'PIN' }).check({ force: true });
  await page.getByLabel('Username').fill(username);
  for (const d of '5791') await page.getByRole('button', { name: `Digit ${d}` }).click();
  await shot(page, testInfo, 'auth-01-pin-pad');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();

  const nav = page.getByRole('navigation', { name: 'Screens' });
  await expect(nav).toBeVisible();
  await expect(page.getByLabel('Signed in user')).toContainText('Kim Kiosk');
  await expect(nav.locator('a[href="#/sell"]')).toBeVisible();
  await expect(nav.locator('a[href="#/users"]')).toHaveCount(0);
  await expect(nav.locator('a[href="#/audit"]')).toHaveCount(0);
  await shot(page, testInfo, 'auth-02-clerk-home');

  // Sell the best ticket of an event with tickets, for cash.
  const events = await api<{ items: EventItem[] }>('/api/v1/events?limit=50');
  const event = events.items.find((e) => e.ticketsAvailable > 0)!;
  await page.goto(`/#/events/${event.id}`);
  await expect(page.getByRole('heading', { level: 1, name: event.name })).toBeVisible();
  await page.getByTestId('best-ticket').getByRole('button', { name: /Take best ticket/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sell' })).toBeVisible();
  const totalCents = centsOf(await page.getByTestId('sale-total').innerText());
  const tendered = page.getByLabel('Cash handed over ($)');
  await tendered.fill((Math.ceil(totalCents / 100) + 5).toFixed(2));
  await tendered.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Sale complete' })).toBeVisible();
  const code = (await page.getByTestId('order-code').innerText()).trim();
  await shot(page, testInfo, 'auth-03-clerk-sold');
  // The clerk's own cash sale, just now: they may void it; a refund is not theirs to give.
  await expect(page.getByRole('button', { name: 'Refund' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Void sale' }).click();
  await expect(page.getByTestId('order-status')).toContainText('cancelled');

  // The audit log has the sale, under the clerk's name.
  const audit = await api<AuditPage>(`/api/v1/audit?subject=${encodeURIComponent(`order:${code}`)}`);
  expect(audit.items.map((e) => [e.operation, e.username])).toEqual([
    ['voidOrder', username],
    ['createOrder', username],
  ]);

  // Admin screens: hidden from the nav AND refused by route; the server refuses the data too.
  await page.goto('/#/users');
  await expect(page.getByRole('alert')).toContainText('may not open this screen');
  await expect(page.getByRole('table')).toHaveCount(0);
  await shot(page, testInfo, 'auth-04-clerk-users-refused');
  await page.goto('/#/audit');
  await expect(page.getByRole('alert')).toContainText('may not open this screen');
  const status = await page.evaluate(async () => (await fetch('/api/v1/users')).status);
  expect(status).toBe(403);

  // Switching user returns to the PIN pad; the session is over on the server as well.
  await page.getByRole('button', { name: 'Switch user' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Digit 5' })).toBeVisible();
  expect(await page.evaluate(async () => (await fetch('/api/v1/orders')).status)).toBe(401);
  await context.close();
});

test('an admin creates a user who can then sign in', async ({ browser }, testInfo) => {
  const page = await signedInPage(browser);
  const nav = page.getByRole('navigation', { name: 'Screens' });
  await nav.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  const username = `olga${Date.now() % 100000}`;
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Full name').fill('Olga Organizer');
  await page.getByLabel('Role', { exact: true }).selectOption('organizer');
  await page.getByLabel('Password (10+ characters)').fill('a long organizer password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('status')).toContainText(`Created ${username}`);
  await expect(page.getByRole('row').filter({ hasText: username })).toContainText('Olga Organizer');
  await shot(page, testInfo, 'auth-05-admin-users');

  // The audit screen shows the change, filtered by operation.
  await nav.getByRole('link', { name: 'Audit log' }).click();
  await page.getByLabel('Operation').fill('createUser');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'createUser' }).first()).toBeVisible();
  await shot(page, testInfo, 'auth-06-audit');

  // The new organizer signs in with the password in a fresh browser and sees no Sell screen.
  const context = await browser.newContext({ baseURL: serverBase() });
  const other = await context.newPage();
  await other.goto('/');
  await other.getByRole('radio', { name: 'Password' }).check({ force: true });
  await other.getByLabel('Username').fill(username);
  await other.getByRole('textbox', { name: 'Password' }).fill('a long organizer password');
  await other.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(other.getByLabel('Signed in user')).toContainText('Olga Organizer');
  await expect(other.getByRole('navigation', { name: 'Screens' }).locator('a[href="#/sell"]')).toHaveCount(0);

  // She changes her own password in Settings (the new one twice), then signs in with it.
  await other.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Settings' }).click();
  await other.getByLabel('Current password').fill('a long organizer password');
  await other.getByLabel('New password (10 characters or more)').fill('her very own password');
  await other.getByLabel('New password again').fill('her very own passwrod');
  await other.getByRole('button', { name: 'Change password' }).click();
  await expect(other.getByRole('alert')).toContainText('The two new passwords differ');
  await other.getByLabel('New password again').fill('her very own password');
  await other.getByRole('button', { name: 'Change password' }).click();
  await expect(other.getByRole('status').filter({ hasText: 'Password changed.' })).toBeVisible();
  await shot(other, testInfo, 'auth-07-own-password');
  await other.getByRole('button', { name: 'Sign out' }).click();
  await other.getByRole('radio', { name: 'Password' }).check({ force: true });
  await other.getByLabel('Username').fill(username);
  await other.getByRole('textbox', { name: 'Password' }).fill('her very own password');
  await other.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(other.getByLabel('Signed in user')).toContainText('Olga Organizer');
  await context.close();
});
