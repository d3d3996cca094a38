/**
 * Seat map in a real browser (issue 4): the 21,000-seat stadium chart of the demo, served by the real
 * HTTP server (browser mode) over a file store, drawn by the built renderer in system Chromium.
 *
 *   time to first draw   navigation → every seat circle in the DOM and painted (two animation frames)
 *   click → colour       a click on a free seat → its circle shows "held by me" (hold round trip + repaint)
 *   other terminal       a hold made over HTTP by another holder → the colour changes here (SSE push)
 *   pan                  frame times while dragging the map for about a second
 *
 * `benchSeatMap()` is what bench/run.ts calls; `node --import tsx bench/seatmap-bench.ts` runs it alone.
 * Needs the built renderer (npx vite build).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { buildServer } from '../electron/core/http/server.js';
import { seedSeatingDemo, DEMO_SEATED_EVENTS } from '../electron/core/seed/seating-demo.js';
import { openDataDir } from '../electron/core/boot.js';

const TOKEN = 'seatmap-bench-token-0123456789';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface SeatMapBenchResult {
  seats: number;
  firstDrawMs: number[];
  /** Of first draw: the seat-map request alone (server + transfer of the JSON), from resource timing. */
  seatMapFetchMs: number[];
  seatMapBytes: number;
  clickToColourMs: { samples: number; p50: number; p95: number; max: number };
  otherTerminalMs: { samples: number; p50: number; p95: number; max: number };
  pan: { frames: number; meanFrameMs: number; p95FrameMs: number; longestFrameMs: number };
  seedMs: number;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const stats = (xs: number[]) => ({ samples: xs.length, p50: round(pct(xs, 50)), p95: round(pct(xs, 95)), max: round(Math.max(...xs)) });
const round = (n: number) => Math.round(n * 10) / 10;

export async function benchSeatMap(opts: { loads?: number; clicks?: number; log?: (s: string) => void } = {}): Promise<SeatMapBenchResult> {
  const log = opts.log ?? ((s: string) => process.stderr.write(`[seatmap] ${s}\n`));
  const rendererDir = fileURLToPath(new URL('../dist/renderer/', import.meta.url));
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('build the renderer first: npx vite build');
  const dir = mkdtempSync(join(tmpdir(), 'marquee-seatmap-bench-'));
  // As `marquee serve` opens it (admin account, the token as its API token), but with only the seating demo.
  const { store } = await openDataDir(dir, { empty: true, token: TOKEN });
  const { app } = buildServer({ ctx: { store, version: 'bench' }, token: TOKEN, rendererDir });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  try {
    await store.writeSync((db) => db.prepare("INSERT INTO sellers (id, name, created_at) VALUES (1, 'Box office', ?)").run(new Date().toISOString()));
    const t0 = performance.now();
    await seedSeatingDemo(store, new Date());
    const seedMs = round(performance.now() - t0);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const api = async <T>(path: string, json?: unknown): Promise<T> => {
      const res = await fetch(base + path, {
        method: json === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
      if (!res.ok) throw new Error(`${path} → ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const { items } = await api<{ items: { eventId: number; name: string; seatCount: number }[] }>('/api/v1/seat-maps');
    const stadium = items.find((e) => e.name === DEMO_SEATED_EVENTS.stadium)!;
    log(`stadium event ${stadium.eventId}: ${stadium.seatCount} seats, seeded in ${seedMs} ms`);

    const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 800 } });
    // tsx (esbuild keepNames) wraps named functions in __name(); the page evaluates them, so give it one.
    await context.addInitScript('window.__name = (f) => f');
    const page = await context.newPage();
    const { url } = await api<{ url: string }>('/api/v1/login-links', {});
    await page.goto(url);
    await page.getByRole('navigation', { name: 'Screens' }).waitFor();

    const firstDrawMs: number[] = [];
    const seatMapFetchMs: number[] = [];
    let seatMapBytes = 0;
    for (let i = 0; i < (opts.loads ?? 3); i++) {
      await page.goto('/#/');
      await page.getByRole('navigation', { name: 'Screens' }).waitFor();
      const start = await page.evaluate(() => performance.now());
      await page.evaluate((id) => {
        window.location.hash = `#/seats/${id}`;
      }, stadium.eventId);
      const done = await page.evaluate(
        (n) =>
          new Promise<number>((resolve) => {
            const check = () => {
              const svg = document.querySelector(`svg[data-seat-count="${n}"]`);
              if (svg?.querySelector('.seat-layer, circle.seat')) requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())));
              else setTimeout(check, 5);
            };
            check();
          }),
        stadium.seatCount,
      );
      firstDrawMs.push(round(done - start));
      const fetched = await page.evaluate(() => {
        const e = performance.getEntriesByType('resource').filter((r) => r.name.includes('/seat-map')).pop() as PerformanceResourceTiming | undefined;
        return e ? { ms: e.responseEnd - e.startTime, bytes: e.transferSize } : null;
      });
      if (fetched) {
        seatMapFetchMs.push(round(fetched.ms));
        seatMapBytes = fetched.bytes;
      }
      log(`first draw ${firstDrawMs[firstDrawMs.length - 1]} ms`);
    }

    // Click → colour, on free seats spread over the bowl: a click at the seat's place on screen, until
    // the map's count of seats held by this terminal changes (the colour is painted in the same frame).
    const seatMap = await api<{ seats: { ticketId: number | null; x: number; y: number; status: string }[] }>(`/api/v1/events/${stadium.eventId}/seat-map`);
    const free = seatMap.seats.filter((s, i) => s.status === 'available' && s.ticketId !== null && i % 997 === 0).slice(0, opts.clicks ?? 15);
    const clicks: number[] = [];
    for (const seat of free) {
      for (const delta of [1, -1]) {
        const at = await page.evaluate(
          ([x, y]) => {
            const svg = document.querySelector<SVGSVGElement>('svg[data-seat-count]')!;
            const p = new DOMPoint(x, y).matrixTransform(svg.getScreenCTM()!);
            return { x: p.x, y: p.y };
          },
          [seat.x, seat.y] as const,
        );
        // Armed first: from the real pointer press to the frame after the count changed.
        const measured = page.evaluate(
          (d) =>
            new Promise<number>((resolve) => {
              const svg = document.querySelector<SVGSVGElement>('svg[data-seat-count]')!;
              const before = Number(svg.dataset.countMine);
              let t = 0;
              document.addEventListener('pointerdown', () => (t = performance.now()), { once: true, capture: true });
              const obs = new MutationObserver(() => {
                if (Number(svg.dataset.countMine) === before + d) {
                  obs.disconnect();
                  requestAnimationFrame(() => resolve(performance.now() - t));
                }
              });
              obs.observe(svg, { attributes: true, attributeFilter: ['data-count-mine'] });
            }),
          delta,
        );
        measured.catch(() => undefined); // if the click throws, report that error, not this one
        await page.mouse.click(at.x, at.y);
        clicks.push(await measured);
      }
    }
    log(`click → colour p50 ${pct(clicks, 50).toFixed(1)} ms over ${clicks.length}`);

    // Pan: drag across the map while counting frames.
    const box = (await page.getByTestId('seat-map').boundingBox())!;
    await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __stop: boolean };
      w.__frames = [];
      w.__stop = false;
      let last = performance.now();
      const tick = () => {
        const now = performance.now();
        w.__frames.push(now - last);
        last = now;
        if (!w.__stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 0; i < 60; i++) await page.mouse.move(box.x + box.width / 2 + Math.sin(i / 6) * 200, box.y + box.height / 2 + Math.cos(i / 6) * 120);
    await page.mouse.up();
    const frames = await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __stop: boolean };
      w.__stop = true;
      return w.__frames.slice(1);
    });
    const pan = {
      frames: frames.length,
      meanFrameMs: round(frames.reduce((a, b) => a + b, 0) / Math.max(1, frames.length)),
      p95FrameMs: round(pct(frames, 95)),
      longestFrameMs: round(Math.max(...frames)),
    };
    log(`pan: ${pan.frames} frames, mean ${pan.meanFrameMs} ms, p95 ${pan.p95FrameMs} ms`);
    // Another terminal (the HTTP API, another holder) → this map's colour, through the SSE push.
    const pushes: number[] = [];
    try {
    for (const seat of free) {
      const id = seat.ticketId!;
      const ms = await page.evaluate(
        ([tid, eventId]) =>
          new Promise<number>((resolve, reject) => {
            const svg = document.querySelector<SVGSVGElement>('svg[data-seat-count]')!;
            const before = Number(svg.dataset.countHeld);
            const t = performance.now();
            const obs = new MutationObserver(() => {
              if (Number(svg.dataset.countHeld) === before + 1) {
                obs.disconnect();
                requestAnimationFrame(() => resolve(performance.now() - t));
              }
            });
            obs.observe(svg, { attributes: true, attributeFilter: ['data-count-held'] });
            fetch(`/api/v1/events/${eventId}/holds`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ ticketIds: [tid], holder: 'bench-other-terminal' }),
            }).then((r) => (r.ok ? undefined : reject(new Error(`hold ${r.status}`))), reject);
          }),
        [id, stadium.eventId] as const,
      );
      pushes.push(ms);
      await api(`/api/v1/events/${stadium.eventId}/holds/release`, { ticketIds: [id], holder: 'bench-other-terminal' });
    }
    } catch (err) {
      log(`other-terminal measurement stopped: ${String(err)}`);
    }
    log(`other terminal → colour p50 ${pct(pushes, 50).toFixed(1)} ms`);

    await context.close();
    return { seats: stadium.seatCount, firstDrawMs, seatMapFetchMs, seatMapBytes, clickToColourMs: stats(clicks), otherTerminalMs: stats(pushes), pan, seedMs };
  } finally {
    await browser.close();
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchSeatMap().then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
