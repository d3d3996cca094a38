import type { Page } from '@playwright/test';
import QRCode from 'qrcode';
import { CSP, PERMISSIONS_POLICY } from '../../electron/core/http/csp.js';
import { isoDay } from './support/dates.js';
import { api, expect, serverBase, shot, signedInPage, test, pageProblems } from './support/fixtures.js';
import { sellOne } from './support/door-sales.js';

interface EventItem {
  id: number;
  ticketsAvailable: number;
}

async function doorEvent(): Promise<number> {
  const events = await api<{ items: EventItem[] }>(`/api/v1/events?city=Seattle&from=${isoDay(0)}&to=${isoDay(70)}`);
  const event = events.items.find((e) => e.ticketsAvailable >= 3);
  expect(event).toBeDefined();
  return event!.id;
}

const seatWords = (t: { section: string; row: string; seat: string | null }) => `Sec ${t.section} Row ${t.row}${t.seat ? ` Seat ${t.seat}` : ''}`;

/**
 * A fake camera: getUserMedia answers a canvas's captureStream, the canvas showing the QR image of
 * window.__showing (a data: URL) or an empty grey frame; redrawn every 100 ms so frames keep coming.
 */
function fakeCamera() {
  const w = window as unknown as { __showing: string | null; __gumCalls: number };
  w.__showing = null;
  w.__gumCalls = 0;
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 480;
  const g = canvas.getContext('2d')!;
  const img = new Image();
  let loaded: string | null = null;
  const draw = () => {
    g.fillStyle = '#9ca3af';
    g.fillRect(0, 0, canvas.width, canvas.height);
    if (w.__showing) {
      if (loaded !== w.__showing) {
        loaded = w.__showing;
        img.src = w.__showing;
      }
      if (img.complete && img.naturalWidth) {
        g.fillStyle = '#fff';
        g.fillRect(150, 70, 340, 340);
        g.drawImage(img, 170, 90, 300, 300);
      }
    }
  };
  setInterval(draw, 100);
  draw();
  const devices = navigator.mediaDevices ?? ({} as MediaDevices);
  Object.defineProperty(devices, 'getUserMedia', {
    configurable: true,
    value: async (constraints: MediaStreamConstraints) => {
      w.__gumCalls++;
      if (constraints.audio) throw new DOMException('no microphone here', 'NotAllowedError');
      return canvas.captureStream(10);
    },
  });
  if (!navigator.mediaDevices) Object.defineProperty(navigator, 'mediaDevices', { configurable: true, value: devices });
}

/** A fake BarcodeDetector that "sees" the code whose QR the fake camera shows (window.__showingCode). */
function fakeBarcodeDetector() {
  const w = window as unknown as { __showingCode: string | null; __detects: number; __formats: string[] };
  w.__showingCode = null;
  w.__detects = 0;
  w.__formats = [];
  class FakeBarcodeDetector {
    constructor(options?: { formats?: string[] }) {
      w.__formats = options?.formats ?? [];
    }
    static async getSupportedFormats() {
      return ['qr_code'];
    }
    async detect(source: HTMLVideoElement) {
      w.__detects++;
      const live = source.srcObject instanceof MediaStream && source.srcObject.getVideoTracks().some((t) => t.readyState === 'live');
      return live && w.__showingCode ? [{ rawValue: w.__showingCode, format: 'qr_code', boundingBox: new DOMRect(170, 90, 300, 300), cornerPoints: [] }] : [];
    }
  }
  Object.defineProperty(window, 'BarcodeDetector', { configurable: true, writable: true, value: FakeBarcodeDetector });
}

async function show(page: Page, code: string | null) {
  const url = code ? await QRCode.toDataURL(code, { errorCorrectionLevel: 'M', margin: 1, width: 320 }) : null;
  await page.evaluate(
    ([u, c]) => {
      const w = window as unknown as { __showing: string | null; __showingCode: string | null };
      w.__showing = u;
      w.__showingCode = c;
    },
    [url, code] as const,
  );
}

async function openDoor(page: Page, eventId: number) {
  await page.goto('/#/door');
  // A hash change keeps the document: reload so the init scripts (the fakes) run before the app.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Door check-in' })).toBeVisible();
  await page.getByLabel('Event').selectOption(String(eventId));
  await page.getByLabel('Door', { exact: true }).fill('Camera door');
}

test('camera scanning with BarcodeDetector: a held-up ticket admits once (not once a frame), shown again later it is red', async ({ browser }, testInfo) => {
  const eventId = await doorEvent();
  const { ticket } = await sellOne(eventId);
  const page = await signedInPage(browser);
  const problems = pageProblems(page);
  const checkIns: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/api\/v1\/check-ins$/.test(r.url())) checkIns.push(r.url());
  });
  await page.addInitScript(fakeCamera);
  await page.addInitScript(fakeBarcodeDetector);
  await openDoor(page, eventId);

  const toggle = page.getByRole('button', { name: 'Use camera' });
  await expect(toggle).toBeVisible();
  await expect(page.getByTestId('camera-unavailable')).toHaveCount(0);
  await toggle.click();
  await expect(page.getByRole('button', { name: 'Stop camera' })).toHaveAttribute('aria-pressed', 'true');
  const camera = page.getByTestId('door-camera');
  await expect(camera).toHaveAttribute('data-status', 'scanning');
  await expect(camera).toHaveAttribute('data-decoder', 'barcode-detector');
  expect(await page.evaluate(() => (window as unknown as { __formats: string[] }).__formats)).toEqual(['qr_code']);

  // The guest holds the ticket up: green, and it stays one check-in for as long as it is held (3 s, ~20 frames).
  await show(page, ticket.code);
  const answer = page.getByTestId('door-answer');
  await expect(answer).toHaveClass(/door-admit/);
  await expect(answer).toContainText(`Admit 1 — ${seatWords(ticket)}`);
  const detectsBefore = await page.evaluate(() => (window as unknown as { __detects: number }).__detects);
  await page.waitForTimeout(3000);
  expect(await page.evaluate(() => (window as unknown as { __detects: number }).__detects)).toBeGreaterThan(detectsBefore + 10);
  await expect(answer).toHaveClass(/door-admit/);
  await expect(page.getByRole('list', { name: 'Earlier scans' })).toHaveCount(0);
  expect(checkIns).toHaveLength(1);
  await shot(page, testInfo, 'door-camera-01-admit');

  // Taken away for longer than the repeat window, then shown again: a second scan, refused.
  await show(page, null);
  await page.waitForTimeout(2500);
  await show(page, ticket.code);
  await expect(answer).toHaveClass(/door-refuse/);
  await expect(answer.locator('.door-title')).toHaveText(/^Already scanned at \d{2}:\d{2} by Camera door$/);
  expect(checkIns).toHaveLength(2);

  // The keyboard-wedge field still works beside the camera.
  await expect(page.getByLabel('Ticket code')).toBeFocused();

  // Stop: the camera is given back.
  await page.getByRole('button', { name: 'Stop camera' }).click();
  await expect(camera).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __gumCalls: number }).__gumCalls)).toBe(1);
  expect(problems).toEqual([]);
  await page.context().close();
});

test('camera scanning without BarcodeDetector: jsQR reads the real QR code off the camera frames', async ({ browser }, testInfo) => {
  const eventId = await doorEvent();
  const { ticket } = await sellOne(eventId);
  const page = await signedInPage(browser);
  const problems = pageProblems(page);
  await page.addInitScript(fakeCamera);
  await page.addInitScript(() => {
    delete (window as unknown as { BarcodeDetector?: unknown }).BarcodeDetector;
  });
  await openDoor(page, eventId);
  await page.getByRole('button', { name: 'Use camera' }).click();
  const camera = page.getByTestId('door-camera');
  await expect(camera).toHaveAttribute('data-status', 'scanning');
  await expect(camera).toHaveAttribute('data-decoder', 'jsqr');
  await show(page, ticket.code);
  const answer = page.getByTestId('door-answer');
  await expect(answer).toHaveClass(/door-admit/);
  await expect(answer).toContainText(`Admit 1 — ${seatWords(ticket)}`);
  await shot(page, testInfo, 'door-camera-02-jsqr-admit');
  expect(problems).toEqual([]);
  await page.context().close();
});

test('the pages allow the camera on their own origin only, and nothing else of the listed features', async () => {
  for (const path of ['/', '/index.html', '/api/v1/docs']) {
    const res = await fetch(serverBase() + path);
    expect(res.status, path).toBe(200);
    expect(res.headers.get('permissions-policy'), path).toBe(PERMISSIONS_POLICY);
    expect(res.headers.get('content-security-policy'), path).toBe(CSP);
  }
  expect(PERMISSIONS_POLICY).toMatch(/^camera=\(self\), microphone=\(\),/);
});

test('no camera in this browser: the toggle is not offered and the screen says why', async ({ browser }, testInfo) => {
  const eventId = await doorEvent();
  const page = await signedInPage(browser);
  await page.addInitScript(() => {
    Object.defineProperty(navigator, 'mediaDevices', { configurable: true, value: undefined });
    delete (window as unknown as { BarcodeDetector?: unknown }).BarcodeDetector;
  });
  await openDoor(page, eventId);
  await expect(page.getByLabel('Ticket code')).toBeEnabled();
  expect(await page.evaluate(() => typeof navigator.mediaDevices)).toBe('undefined');
  await expect(page.getByRole('button', { name: 'Use camera' })).toHaveCount(0);
  await expect(page.getByTestId('camera-unavailable')).toHaveText(/Camera scanning needs a browser that can use a camera/);
  await shot(page, testInfo, 'door-camera-03-unavailable');
  await page.context().close();
});
