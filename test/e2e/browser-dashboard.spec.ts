import { readFileSync } from 'node:fs';
import { centsOf, isoDay } from './support/dates.js';
import { api, expect, shot, signedInPage, test } from './support/fixtures.js';

interface Revenue {
  total: { orders: number; revenueCents: number };
}

test('the sales dashboard charts the demo sales, follows the date range and exports CSV', async ({ browser }, testInfo) => {
  const page = await signedInPage(browser);
  const tz = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  await page.goto('/#/dashboard');
  await expect(page.getByRole('heading', { level: 1, name: 'Sales dashboard' })).toBeVisible();

  // The KPI is the same number the API gives for the last 30 days in the browser's zone.
  const expected = await api<Revenue>(`/api/v1/reports/revenue?from=${isoDay(-29)}&to=${isoDay(0)}&tz=${encodeURIComponent(tz)}`);
  expect(expected.total.orders).toBeGreaterThan(0);
  await expect(page.getByTestId('kpi-orders')).toHaveText(expected.total.orders.toLocaleString('en-US'));
  expect(centsOf(await page.getByTestId('kpi-revenue').innerText())).toBe(expected.total.revenueCents);

  // Every chart drew its marks, and the top customers table has rows.
  await expect(page.getByTestId('chart-revenue').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByTestId('chart-regions').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByTestId('chart-referrals').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByTestId('chart-regions')).toHaveAttribute('aria-label', /Illinois/);
  await expect(page.getByRole('table', { name: 'Top customers' }).locator('tbody tr')).not.toHaveCount(0);
  await shot(page, testInfo, '60-dashboard');
  await page.getByRole('table', { name: 'Top customers' }).scrollIntoViewIfNeeded();
  await shot(page, testInfo, '60-dashboard-lower');

  // Weeks, then a shorter range: the heading, the chart and the totals follow.
  await page.locator('label.seg', { hasText: 'Week' }).click();
  await expect(page.getByRole('radio', { name: 'Week' })).toBeChecked();
  await expect(page.getByRole('heading', { name: 'Revenue by week' })).toBeVisible();
  await page.getByRole('button', { name: '7 days' }).click();
  const week = await api<Revenue>(`/api/v1/reports/revenue?from=${isoDay(-6)}&to=${isoDay(0)}&tz=${encodeURIComponent(tz)}`);
  await expect(page.getByTestId('kpi-orders')).toHaveText(week.total.orders.toLocaleString('en-US'));
  await shot(page, testInfo, '61-dashboard-7-days');

  // A range that ends before it starts is refused in the form, not sent.
  await page.getByLabel('From').fill(isoDay(5));
  await expect(page.getByText('Choose a start date on or before the end date.')).toBeVisible();
  await page.getByLabel('From').fill(isoDay(-29));

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('figure', { name: 'Sales by state / province' }).getByRole('button', { name: 'CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^marquee-regions-.*\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toBe('country,region,orders,revenueCents,revenue');
  expect(csv).toContain('Illinois');
});
