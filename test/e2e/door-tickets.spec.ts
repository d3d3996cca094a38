import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isoDay } from './support/dates.js';
import { api, expect, shot, signedInPage, test, pageProblems } from './support/fixtures.js';

interface EventItem {
  id: number;
  name: string;
  ticketsAvailable: number;
}
interface TicketCode {
  saleId: number;
  code: string;
  display: string;
  eventName: string;
  venueName: string;
  city: string;
  startsAt: string;
  timezone: string;
  section: string;
  row: string;
  seat: string | null;
  priceCents: number;
}
interface Codes {
  orderCode: string;
  currency: string;
  printed: number;
  items: TicketCode[];
}
interface Posted {
  listing: { id: number };
  tickets: { id: number }[];
}
interface AuditEntry {
  operation: string;
  subject: string | null;
}

const seatWords = (t: { section: string; row: string; seat: string | null }) => `Sec ${t.section} Row ${t.row}${t.seat ? ` Seat ${t.seat}` : ''}`;
const dollars = (cents: number) => `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
/** The venue's wall time as written in startsAt ("2026-12-05T19:30:00-06:00" → "7:30 PM"). */
const wallTime = (startsAt: string) => {
  const [, h, m] = /T(\d{2}):(\d{2})/.exec(startsAt)!;
  const hour = Number(h);
  return `${hour % 12 || 12}:${m} ${hour < 12 ? 'AM' : 'PM'}`;
};

test('printable tickets: sell two at the kiosk, print them (one a page, reprint logged), then scan them at the door', async ({ browser }, testInfo) => {
  const events = await api<{ items: EventItem[] }>(`/api/v1/events?city=Chicago&from=${isoDay(0)}&to=${isoDay(70)}`);
  const event = events.items.find((e) => e.ticketsAvailable >= 4)!;
  expect(event).toBeDefined();

  // The kiosk: two tickets picked off the event's list, sold by card.
  const page = await signedInPage(browser);
  const problems = pageProblems(page);
  await page.goto(`/#/events/${event.id}`);
  await expect(page.getByRole('heading', { level: 1, name: event.name })).toBeVisible();
  // Two numbered seats of one listing, picked by hand (the list groups tickets by listing).
  const posted = await api<Posted>('/api/v1/tickets', {
    json: { eventId: event.id, sellerId: 1, section: 'PRT', row: '08', seats: ['3', '4', '5'], priceCents: 4500 },
  });
  await page.getByRole('textbox', { name: 'Section' }).fill('PRT');
  await page.getByRole('button', { name: 'Apply' }).click();
  const row = page.locator(`[data-listing-id="${posted.listing.id}"]`);
  await row.getByRole('button', { name: /^Pick seats of/ }).click();
  await row.getByRole('checkbox', { name: /seat 3,/ }).check();
  await row.getByRole('checkbox', { name: /seat 4,/ }).check();
  await page.getByRole('button', { name: 'Sell selected (2)' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sell' })).toBeVisible();
  await expect(page.getByTestId('sale-line')).toHaveCount(2);
  await page.getByRole('radio', { name: 'Card' }).check({ force: true });
  await page.getByRole('button', { name: /Confirm sale/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sale complete' })).toBeVisible();
  const orderCode = (await page.getByTestId('order-code').innerText()).trim();

  // Print tickets, from the confirmation.
  await page.getByTestId('print-tickets-link').click();
  await expect(page).toHaveURL(new RegExp(`#/orders/${orderCode}/tickets$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Tickets' })).toBeVisible();
  const codes = await api<Codes>(`/api/v1/orders/${orderCode}/ticket-codes`);
  expect(codes.items).toHaveLength(2);
  expect(codes.printed).toBe(0);
  const tickets = page.getByTestId('printed-ticket');
  await expect(tickets).toHaveCount(2);
  for (const [i, t] of codes.items.entries()) {
    const ticket = tickets.nth(i);
    await expect(ticket).toHaveAttribute('aria-label', `Ticket ${i + 1} of 2`);
    await expect(ticket.getByTestId('ticket-event')).toHaveText(t.eventName);
    await expect(ticket.getByTestId('ticket-venue')).toHaveText(`${t.venueName}, ${t.city}`);
    // Local wall time of the venue with its zone (Chicago: CST or CDT), never the kiosk's own zone.
    await expect(ticket.getByTestId('ticket-when')).toHaveText(new RegExp(`^\\w{3}, \\w{3} \\d{1,2}, \\d{4} · ${wallTime(t.startsAt)} C[SD]T$`));
    await expect(ticket.getByTestId('ticket-section')).toHaveText(t.section);
    await expect(ticket.getByTestId('ticket-row')).toHaveText(t.row);
    await expect(ticket.getByTestId('ticket-seat')).toHaveText(t.seat ?? 'GA');
    await expect(ticket.getByTestId('ticket-price')).toHaveText(dollars(t.priceCents));
    await expect(ticket).toContainText(`Order ${orderCode}`);
    await expect(ticket.getByTestId('ticket-display')).toHaveText(t.display);
    const qr = ticket.getByTestId('ticket-qr');
    await expect(qr).toBeVisible();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(100);
  }
  await expect(page.getByTestId('reprint-label')).toHaveCount(0);
  await shot(page, testInfo, 'tickets-01-screen');
  // The README's picture of a printed ticket (MARQUEE_DOCS_SHOTS=1 refreshes docs/printable-ticket.png).
  if (process.env.MARQUEE_DOCS_SHOTS) await tickets.first().screenshot({ path: join(process.cwd(), 'docs/printable-ticket.png') });

  // Print: window.print is stubbed (headless would block on the dialog); it records what the paper said.
  await page.evaluate(() => {
    const w = window as unknown as { __prints: string[] };
    w.__prints = [];
    window.print = () => {
      w.__prints.push([...document.querySelectorAll('[data-testid=printed-ticket]')].map((t) => (t.querySelector('.reprint-mark') ? 'reprint' : 'first')).join(','));
    };
  });
  const prints = () => page.evaluate(() => (window as unknown as { __prints: string[] }).__prints);
  await page.getByRole('button', { name: 'Print', exact: true }).click();
  await expect.poll(prints).toEqual(['first,first']);
  await expect(page.getByTestId('reprint-label')).toHaveText('Reprint — printed 1 time before');
  await page.getByRole('button', { name: 'Print', exact: true }).click();
  await expect.poll(prints).toEqual(['first,first', 'reprint,reprint']);
  await expect(page.getByTestId('reprint-label')).toHaveText('Reprint — printed 2 times before');
  await expect(tickets.first().locator('.reprint-mark')).toHaveText(/REPRINT/);
  const audit = await api<{ items: AuditEntry[] }>(`/api/v1/audit?operation=recordTicketPrint&subject=${encodeURIComponent(`order:${orderCode}`)}`);
  expect(audit.items).toHaveLength(2);
  expect((await api<Codes>(`/api/v1/orders/${orderCode}/ticket-codes`)).printed).toBe(2);
  await shot(page, testInfo, 'tickets-02-reprint');

  // The print layout: nothing of the app's chrome, one ticket a page.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.topbar')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print', exact: true })).toBeHidden();
  await expect(page.getByTestId('reprint-label')).toBeHidden();
  await expect(tickets.first()).toBeVisible();
  await shot(page, testInfo, 'tickets-03-print-media');
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
  const dir = join(testInfo.project.outputDir, 'screens');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tickets-04.pdf'), pdf);
  await testInfo.attach('tickets-04.pdf', { body: pdf, contentType: 'application/pdf' });
  // Chromium writes one /Type /Page object per page.
  const pageCount = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  expect(pageCount).toBe(2);
  await page.emulateMedia({ media: 'screen' });


  // At the door: the first ticket admits once, then red; the refunded order's ticket is refused.
  const [first, second] = codes.items as [TicketCode, TicketCode];
  await page.goto('/#/door');
  await expect(page.getByRole('heading', { level: 1, name: 'Door check-in' })).toBeVisible();
  await page.getByLabel('Event').selectOption(String(event.id));
  await page.getByLabel('Door', { exact: true }).fill('Door 3');
  const input = page.getByLabel('Ticket code');
  const answer = page.getByTestId('door-answer');
  await input.focus();
  await page.keyboard.type(first.code);
  await page.keyboard.press('Enter');
  await expect(answer).toHaveClass(/door-admit/);
  await expect(answer).toContainText(`Admit 1 — ${seatWords(first)}`);
  await input.focus();
  await page.keyboard.type(first.display);
  await page.keyboard.press('Enter');
  await expect(answer).toHaveClass(/door-refuse/);
  await expect(answer.locator('.door-title')).toHaveText(/^Already scanned at \d{2}:\d{2} by Door 3$/);

  // The other ticket's order (the same order) is refunded at the box office, then that ticket scanned.
  await page.goto(`/#/orders/${orderCode}`);
  await page.getByRole('button', { name: 'Refund', exact: true }).click();
  await expect(page.getByTestId('order-status')).toContainText('This order is refunded');
  await page.goto('/#/door');
  await expect(input).toBeFocused();
  await expect(page.getByLabel('Door', { exact: true })).toHaveValue('Door 3');
  await page.keyboard.type(second.code);
  await page.keyboard.press('Enter');
  await expect(answer.locator('.door-title')).toHaveText('Refunded');
  await expect(answer).toHaveClass(/door-refuse/);
  await expect(answer).toContainText(seatWords(second));

  expect(problems.filter((p) => /Content Security Policy|Refused to/i.test(p))).toEqual([]);
  await page.context().close();
});
