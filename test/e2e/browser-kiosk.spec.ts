import type { Page } from '@playwright/test';
import { isoDay } from './support/dates.js';
import { api, expect, shot, signedInPage, test, pageProblems } from './support/fixtures.js';

/** Every visible control on the page that is smaller than a fingertip (44 px). */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const controls = document.querySelectorAll<HTMLElement>('button, a.btn, a.nav-link, a.event-card, input:not([type=checkbox]):not([type=radio]), select, label.seg, label.seat-pick');
    for (const el of controls) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.height < 44 || r.width < 44) out.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('name') || '').trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return out;
  });
}

test('kiosk: touch-sized targets, visible focus rings, keyboard navigation and no CSP violations on every screen', async ({ browser }, testInfo) => {
  const page = await signedInPage(browser);
  const problems = pageProblems(page);

  const events = await api<{ items: { id: number; ticketsAvailable: number }[] }>(`/api/v1/events?city=Toronto&from=${isoDay(0)}&to=${isoDay(70)}`);
  const eventId = events.items.find((e) => e.ticketsAvailable > 0)!.id;

  for (const [path, heading] of [
    ['/#/events', 'Events'],
    [`/#/events/${eventId}`, null],
    ['/#/sell', 'Sell'],
    ['/#/orders', 'Orders'],
    ['/#/sellers', 'Sellers'],
  ] as const) {
    await page.goto(path);
    if (heading) await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    else await expect(page.getByTestId('listing-row').first()).toBeVisible();
    await page.waitForLoadState('networkidle');
    expect(await smallTargets(page), `small targets on ${path}`).toEqual([]);
  }

  // The nav shortcuts from the screens registry, then Tab lands on a control with a visible ring.
  await page.goto('/#/events');
  await expect(page.getByRole('heading', { level: 1, name: 'Events' })).toBeVisible();
  await page.keyboard.press('Alt+4');
  await expect(page.getByRole('heading', { level: 1, name: 'Sellers' })).toBeVisible();
  await page.keyboard.press('Alt+3');
  await expect(page.getByRole('heading', { level: 1, name: 'Orders' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Orders' })).toBeFocused();
  await page.keyboard.press('Tab');
  const ring = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const s = getComputedStyle(el);
    return { tag: el.tagName, style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  expect(ring.tag).toBe('INPUT');
  expect(ring.style).not.toBe('none');
  expect(ring.width).toBeGreaterThanOrEqual(2);
  await shot(page, testInfo, '14-orders-focus-ring');

  // Keyboard only from the event list to the sale: Tab to an event, Enter, F8 takes the best, F9 confirms.
  await page.keyboard.press('Alt+1');
  await expect(page.getByRole('heading', { level: 1, name: 'Events' })).toBeVisible();
  const firstCard = page.getByTestId('event-card').first();
  await firstCard.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('best-seat')).toBeVisible();
  await page.keyboard.press('F8');
  await expect(page.getByRole('heading', { level: 1, name: 'Sell' })).toBeVisible();
  await expect(page.getByLabel('Cash handed over ($)')).toBeFocused();
  await page.keyboard.press('F9');
  await expect(page.getByRole('heading', { level: 1, name: 'Sale complete' })).toBeVisible();
  await expect(page.getByTestId('change-notice')).toContainText('$0.00');

  expect(problems.filter((p) => /Content Security Policy|Refused to/i.test(p))).toEqual([]);
  expect(problems).toEqual([]);
  await page.context().close();
});
