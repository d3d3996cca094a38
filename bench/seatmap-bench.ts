/**
 * Seat map in a real browser (issue 4): the 21,000-seat stadium chart of the demo, served by the real
 * HTTP server (browser mode) over a file store, drawn by the built renderer in system Chromium.
 *
 *   first draw       full navigation to #/seats/<id> → every seat drawn and painted (the next paint
 *                    after the seat layer is in the DOM); long tasks while it loads, and those after
 *                    the seat map arrived (the drawing's own).
 *                    Baselines: the bare HTTP fetch of the seat map (Node), and a bare page that
 *                    fetches the same seat map and draws one <rect> per seat.
 *   pan / zoom       requestAnimationFrame timestamps while a script drags the map, zooms with the
 *                    wheel and drags again: frames, longest gap, p95 gap, long tasks.
 *                    Baseline: the same recorder on the idle map for as long.
 *   click → colour   a real click on a free seat → the map counts it "held by me" and the next paint
 *                    is done; the second click releases it. Baseline: the same hold + release
 *                    requests sent by fetch from the page, with no drawing.
 *   other terminal   a hold POSTed through the HTTP API (Bearer token, another holder) → the seat
 *                    turns "held elsewhere" here (SSE push + repaint). Baseline: the POST alone.
 *
 * Every wait is bounded; a phase that fails is reported in `errors` and the others still run; the
 * browser, server and store are closed on every path. `benchSeatMap()` is what bench/run.ts calls;
 * `node --import tsx bench/seatmap-bench.ts` runs it alone. Needs the built renderer (npx vite build).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { SYSTEM_CHROMIUM } from '../test/e2e/support/system-chromium.js';
import { seatsFromColumns, type SeatColumns } from '../shared/seat-columns.js';
import { buildServer } from '../electron/core/http/server.js';
import { seedSeatingDemo, DEMO_SEATED_EVENTS } from '../electron/core/seed/seating-demo.js';
import { openDataDir } from '../electron/core/boot.js';

const TOKEN = 'seatmap-bench-token-0123456789';
/** Any single wait in the page; a seat that does not change colour by then counts as a failure. */
const WAIT_MS = 5000;
/** The whole bench; past it the browser is closed, which ends any wait still pending. */
const BUDGET_MS = 150_000;

interface Stats {
  samples: number;
  p50: number;
  p95: number;
  max: number;
}
interface LongTasks {
  count: number;
  maxMs: number;
  totalMs: number;
}

export interface SeatMapBenchResult {
  seats: number;
  /** Seat-map response as sent (bytes of JSON; the server does not compress). */
  seatMapBytes: number;
  firstDraw: Stats & {
    /** Per run: navigation → seats painted. */
    runsMs: number[];
    /** Of it (resource timing, p50): navigation → the app asks for the seat map (page and app start), */
    fetchStartP50Ms: number;
    /** → the seat-map response is fully received (server + transfer); the rest is decoding and drawing. */
    fetchDoneP50Ms: number;
    longTasks: LongTasks;
    /** Of those, the ones that started once the seat map had arrived: decoding and drawing it. */
    drawLongTasks: LongTasks;
  };
  baselines: {
    /** Bare HTTP fetch + JSON parse of the seat map from Node (no browser). */
    seatMapFetchMs: Stats;
    /** Bare page: navigation → fetch the same seat map → one <rect> per seat → painted. */
    bareRectsFirstDrawMs: Stats;
    bareRectsLongTasks: LongTasks;
    /** The idle map: frames over the pan's duration with nothing moving. */
    idleFrames: { frames: number; longestGapMs: number; p95GapMs: number };
    /** A hold or a release request from the page by fetch, no drawing (what a click costs on the wire). */
    holdRoundTripMs: Stats;
    /** The other terminal's hold POST alone (Node → server → response). */
    apiHoldPostMs: Stats;
  };
  pan: { durationMs: number; frames: number; longestGapMs: number; p95GapMs: number; longTasks: LongTasks };
  clickToColourMs: Stats & { failures: number };
  otherTerminalMs: Stats & { failures: number };
  seedMs: number;
  totalMs: number;
  /** Phases that failed (the rest still ran); empty in a good run. */
  errors: string[];
}

const round = (n: number) => Math.round(n * 10) / 10;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const stats = (xs: number[]): Stats => ({ samples: xs.length, p50: round(pct(xs, 50)), p95: round(pct(xs, 95)), max: xs.length ? round(Math.max(...xs)) : NaN });
const gaps = (ts: number[]) => ts.slice(1).map((t, i) => t - ts[i]!);
const longTaskStats = (tasks: { start: number; duration: number }[]): LongTasks => ({
  count: tasks.length,
  maxMs: round(Math.max(0, ...tasks.map((t) => t.duration))),
  totalMs: round(tasks.reduce((n, t) => n + t.duration, 0)),
});

/**
 * In every document: long tasks as they happen, and the moment the seat map is painted: the seat
 * layer is in the DOM, the next animation frame starts, and a task queued from it runs once that
 * frame's style, layout and paint are done (the usual "next paint" probe).
 * A string, so that tsx does not rewrite it.
 */
const INIT_SCRIPT = `(() => {
  const w = window;
  w.__name = (f) => f; // tsx (esbuild keepNames) wraps named functions of page.evaluate callbacks in __name()
  w.__longTasks = [];
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration }); })
      .observe({ type: 'longtask', buffered: true });
  } catch {}
  w.__drawn = null;
  // Every seat: the map draws a big chart a few sections per frame and says how many are drawn.
  const drawn = () => {
    const svg = document.querySelector('svg[data-seat-count]');
    if (svg) return svg.querySelector('g[data-drawn="' + svg.getAttribute('data-seat-count') + '"]') !== null;
    return document.querySelector('svg[data-bare] rect') !== null;
  };
  const watch = () => {
    const obs = new MutationObserver(() => {
      if (!drawn()) return;
      obs.disconnect();
      requestAnimationFrame(() => setTimeout(() => { w.__drawn = performance.now(); }, 0));
    });
    obs.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-drawn'] });
  };
  if (document.documentElement) watch(); else document.addEventListener('DOMContentLoaded', watch);
})();`;

/** The bare baseline page: fetch the seat map, one <rect> per seat, nothing else. */
const bareHtml = (eventId: number) => `<!doctype html><html><body style="margin:0"><script>
fetch('/api/v1/events/${eventId}/seat-map?holder=bare').then((r) => r.json()).then((m) => {
  const c = m.seats, n = c.count, NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 -20 ' + m.chart.width + ' ' + (m.chart.height + 20));
  svg.setAttribute('width', '920'); svg.setAttribute('height', '460');
  const g = document.createElementNS(NS, 'g');
  for (let i = 0; i < n; i++) {
    const r = document.createElementNS(NS, 'rect');
    r.setAttribute('x', c.x[i] - 4); r.setAttribute('y', c.y[i] - 4); r.setAttribute('width', 8); r.setAttribute('height', 8);
    r.setAttribute('fill', c.status[i] === 0 ? '#15803d' : '#4b5563');
    g.appendChild(r);
  }
  svg.appendChild(g);
  svg.setAttribute('data-bare', '');
  document.body.appendChild(svg);
});
</script></body></html>`;

/** Runs fn; on failure records the message and returns undefined, so one broken phase does not sink the rest. */
async function phase<T>(name: string, errors: string[], log: (s: string) => void, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    const msg = `${name}: ${(err as Error).message?.split('\n')[0] ?? String(err)}`;
    errors.push(msg);
    log(`FAILED ${msg}`);
    return undefined;
  }
}

/** Navigation → painted, for whatever the init script watches; throws if that takes over 4 × WAIT_MS. */
async function timeFirstDraw(page: Page, url: string) {
  await page.goto('about:blank');
  await page.goto(url, { waitUntil: 'commit', timeout: WAIT_MS });
  await page.waitForFunction(() => (window as unknown as { __drawn: number | null }).__drawn !== null, null, { timeout: 4 * WAIT_MS, polling: 50 });
  // Let any work queued right behind the first paint show up as long tasks too.
  await page.waitForTimeout(200);
  return page.evaluate(() => {
    const w = window as unknown as { __drawn: number; __longTasks: { start: number; duration: number }[] };
    const fetched = performance
      .getEntriesByType('resource')
      .filter((r) => r.name.includes('/seat-map'))
      .pop() as PerformanceResourceTiming | undefined;
    return { ms: w.__drawn, fetchStart: fetched ? fetched.startTime : NaN, fetchDone: fetched ? fetched.responseEnd : NaN, longTasks: w.__longTasks };
  });
}

/** Records animation-frame timestamps until stopFrames(); returns them. */
const startFrames = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stop: boolean; __longTasks: unknown[] };
    w.__frames = [];
    w.__stop = false;
    w.__longTasks = [];
    const tick = (t: number) => {
      w.__frames.push(t);
      if (!w.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
const stopFrames = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<{ frames: number[]; longTasks: { start: number; duration: number }[] }>((resolve) => {
        const w = window as unknown as { __frames: number[]; __stop: boolean; __longTasks: { start: number; duration: number }[] };
        // One more frame, so a repaint that the last input caused is inside the record.
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            w.__stop = true;
            resolve({ frames: w.__frames, longTasks: w.__longTasks });
          }),
        );
      }),
  );

export async function benchSeatMap(opts: { loads?: number; clicks?: number; log?: (s: string) => void } = {}): Promise<SeatMapBenchResult> {
  const log = opts.log ?? ((s: string) => process.stderr.write(`[seatmap] ${s}\n`));
  const loads = opts.loads ?? 5;
  const clickCount = opts.clicks ?? 10;
  const started = performance.now();
  const rendererDir = fileURLToPath(new URL('../dist/renderer/', import.meta.url));
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('build the renderer first: npx vite build');
  const errors: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'marquee-seatmap-bench-'));
  let store: Awaited<ReturnType<typeof openDataDir>>['store'] | undefined;
  let app: ReturnType<typeof buildServer>['app'] | undefined;
  let browser: Browser | undefined;
  let closing = false;
  // Past the budget the browser goes: every pending Playwright call then rejects, and the finally runs.
  const watchdog = setTimeout(() => {
    errors.push(`budget of ${BUDGET_MS / 1000} s exceeded; browser closed`);
    closing = true;
    void browser?.close().catch(() => undefined);
  }, BUDGET_MS);
  try {
    // As `marquee serve` opens it (admin account, the token as its API token), but with only the seating demo.
    ({ store } = await openDataDir(dir, { empty: true, token: TOKEN }));
    const s = store;
    ({ app } = buildServer({ ctx: { store: s, version: 'bench' }, token: TOKEN, rendererDir }));
    await s.write((trx) => trx.insertInto('sellers').values({ id: 1, name: 'Box office', email: null, created_at: new Date().toISOString() }).execute());
    const t0 = performance.now();
    await seedSeatingDemo(s, new Date());
    const seedMs = round(performance.now() - t0);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const api = async <T>(path: string, json?: unknown): Promise<T> => {
      const res = await fetch(base + path, {
        method: json === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
        body: json === undefined ? undefined : JSON.stringify(json),
        signal: AbortSignal.timeout(WAIT_MS * 2),
      });
      if (!res.ok) throw new Error(`${path} → ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const { items } = await api<{ items: { eventId: number; name: string; seatCount: number }[] }>('/api/v1/seat-maps');
    const stadium = items.find((e) => e.name === DEMO_SEATED_EVENTS.stadium);
    if (!stadium) throw new Error('the seating demo has no stadium event');
    const eventId = stadium.eventId;
    log(`stadium event ${eventId}: ${stadium.seatCount} seats, seeded in ${seedMs} ms`);

    // Baseline: the seat map over HTTP from Node, no browser.
    const fetchMs: number[] = [];
    let seatMapBytes = 0;
    let seatMap: { seats: SeatColumns } | undefined;
    for (let i = 0; i < loads; i++) {
      const t = performance.now();
      const res = await fetch(`${base}/api/v1/events/${eventId}/seat-map`, { headers: { authorization: `Bearer ${TOKEN}` }, signal: AbortSignal.timeout(WAIT_MS * 2) });
      const text = await res.text();
      seatMap = JSON.parse(text) as { seats: SeatColumns };
      fetchMs.push(performance.now() - t);
      seatMapBytes = Buffer.byteLength(text);
    }
    const seats = seatsFromColumns(seatMap!.seats);
    log(`seat map ${seatMapBytes} bytes, fetch p50 ${pct(fetchMs, 50).toFixed(1)} ms`);

    browser = await chromium.launch({ ...SYSTEM_CHROMIUM, headless: true, timeout: 30_000 });
    browser.on('disconnected', () => {
      if (!closing) errors.push('Chromium disconnected');
    });
    const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(WAIT_MS * 2);
    await context.addInitScript(INIT_SCRIPT);
    const page = await context.newPage();
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    page.on('crash', () => errors.push('the page crashed'));
    const { url } = await api<{ url: string }>('/api/v1/login-links', {});
    await page.goto(url);
    await page.getByRole('navigation', { name: 'Screens' }).waitFor();

    // Baseline: a bare page drawing one <rect> per seat from the same data.
    const bare: number[] = [];
    const bareTasks: { start: number; duration: number }[] = [];
    await phase('bare page', errors, log, async () => {
      await page.route(`${base}/__bare`, (route) => route.fulfill({ contentType: 'text/html', body: bareHtml(eventId) }));
      for (let i = 0; i < loads; i++) {
        const r = await timeFirstDraw(page, `${base}/__bare`);
        bare.push(r.ms);
        bareTasks.push(...r.longTasks);
      }
      log(`bare page of ${seats.length} rects: first draw p50 ${pct(bare, 50).toFixed(1)} ms`);
    });

    const draws: number[] = [];
    const fetchDone: number[] = [];
    const fetchStart: number[] = [];
    const drawTasks: { start: number; duration: number }[] = [];
    const afterData: { start: number; duration: number }[] = [];
    await phase('first draw', errors, log, async () => {
      for (let i = 0; i < loads; i++) {
        const r = await timeFirstDraw(page, `${base}/#/seats/${eventId}`);
        draws.push(r.ms);
        fetchDone.push(r.fetchDone);
        fetchStart.push(r.fetchStart);
        drawTasks.push(...r.longTasks);
        afterData.push(...r.longTasks.filter((t) => t.start >= r.fetchDone));
        log(`first draw ${r.ms.toFixed(1)} ms (seat map asked at ${r.fetchStart.toFixed(1)}, received at ${r.fetchDone.toFixed(1)} ms; long tasks ${r.longTasks.map((t) => `${Math.round(t.duration)}@${Math.round(t.start)}`).join(' ') || 'none'})`);
      }
    });
    // The map as the last load left it; everything below works on it.
    await page.locator(`svg[data-seat-count="${stadium.seatCount}"]`).waitFor({ timeout: 4 * WAIT_MS });

    // Where a seat is on screen now (a notice above the map may have moved it), if it is under the pointer there.
    const onScreen = (x: number, y: number) =>
      page.evaluate(
        ([sx, sy]) => {
          const svg = document.querySelector<SVGSVGElement>('svg[data-seat-count]')!;
          const p = new DOMPoint(sx, sy).matrixTransform(svg.getScreenCTM()!);
          // Whole pixels: where a real pointer can be (zoomed out to fit, a seat is about two pixels wide).
          const at = { x: Math.round(p.x), y: Math.round(p.y) };
          const hit = document.elementFromPoint(at.x, at.y);
          return hit !== null && svg.contains(hit) ? at : null;
        },
        [x, y] as const,
      );
    // Free seats spread over the bowl.
    const targets: { ticketId: number; x: number; y: number }[] = [];
    const free = seats.filter((x) => x.status === 'available' && x.ticketId !== null);
    for (let k = 0; k < free.length && targets.length < clickCount * 2 + 10; k += Math.floor(free.length / (clickCount * 2 + 10))) {
      const seat = free[k]!;
      if (await onScreen(seat.x, seat.y)) targets.push({ ticketId: seat.ticketId!, x: seat.x, y: seat.y });
    }
    log(`${targets.length} free seats under the pointer`);

    // Baseline: the hold + release requests of a click, from the page, no drawing.
    const roundTrips: number[] = [];
    await phase('hold round trip', errors, log, async () => {
      for (const t of targets.slice(clickCount, clickCount + 5)) {
        roundTrips.push(
          ...(await page.evaluate(async ([tid, id]) => {
            const post = (path: string) =>
              fetch(`/api/v1/events/${id}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ticketIds: [tid], holder: 'bench-baseline' }) }).then((r) => {
                if (!r.ok) throw new Error(`${path} ${r.status}`);
              });
            const t0 = performance.now();
            await post('holds');
            const t1 = performance.now();
            await post('holds/release');
            return [t1 - t0, performance.now() - t1];
          }, [t.ticketId, eventId] as const)),
        );
      }
    });

    /**
     * Arms a wait in the page for the map's count of seats in some state (data-count-*) to move by
     * delta; settled() then gives the ms from the next pointerdown (or the epoch: a wall-clock time,
     * which this process shares) to the next paint after the change, or null past WAIT_MS. Armed and awaited in two calls, so the
     * observer is surely in place before the click or request that it times.
     */
    const arm = (count: 'countMine' | 'countHeld', delta: number, from: 'click' | 'epoch') =>
      page.evaluate(
        ([key, d, start, limit]) => {
          const w = window as unknown as { __settled: Promise<number | null> };
          const svg = document.querySelector<SVGSVGElement>('svg[data-seat-count]')!;
          const before = Number(svg.dataset[key]);
          let t0 = start === 'epoch' ? 0 : NaN;
          if (start === 'click') document.addEventListener('pointerdown', () => (t0 = Date.now()), { once: true, capture: true });
          w.__settled = new Promise<number | null>((resolve) => {
            const obs = new MutationObserver(() => {
              if (Number(svg.dataset[key]) !== before + d) return;
              obs.disconnect();
              clearTimeout(timer);
              requestAnimationFrame(() => setTimeout(() => resolve(Date.now() - t0), 0));
            });
            const timer = setTimeout(() => {
              obs.disconnect();
              resolve(null);
            }, limit);
            obs.observe(svg, { attributes: true });
          });
        },
        [count, delta, from, WAIT_MS] as const,
      );
    const settled = () => page.evaluate(() => (window as unknown as { __settled: Promise<number | null> }).__settled);

    // Click → colour: armed in the page first, then a real click; one click holds, the next releases.
    const clicks: number[] = [];
    let clickFailures = 0;
    await phase('click → colour', errors, log, async () => {
      for (const t of targets.slice(0, clickCount)) {
        for (const delta of [1, -1]) {
          const at = await onScreen(t.x, t.y);
          if (!at) {
            clickFailures++;
            continue;
          }
          await arm('countMine', delta, 'click');
          await page.mouse.click(at.x, at.y);
          const ms = await settled();
          if (ms === null || Number.isNaN(ms)) clickFailures++;
          else clicks.push(ms);
        }
      }
      log(`click → colour p50 ${pct(clicks, 50).toFixed(1)} ms over ${clicks.length} (${clickFailures} failed)`);
    });

    // Another terminal: the hold goes through the HTTP API from here; the page sees it by the SSE feed.
    const pushes: number[] = [];
    const posts: number[] = [];
    let pushFailures = 0;
    await phase('other terminal', errors, log, async () => {
      for (const t of targets.slice(clickCount + 5, clickCount * 2 + 5)) {
        await arm('countHeld', 1, 'epoch');
        const sent = Date.now();
        const p0 = performance.now();
        await api(`/api/v1/events/${eventId}/holds`, { ticketIds: [t.ticketId], holder: 'bench-other-terminal' });
        posts.push(performance.now() - p0);
        const at = await settled();
        if (at === null) pushFailures++;
        else pushes.push(at - sent);
        await arm('countHeld', -1, 'epoch');
        await api(`/api/v1/events/${eventId}/holds/release`, { ticketIds: [t.ticketId], holder: 'bench-other-terminal' });
        await settled();
      }
      log(`other terminal → colour p50 ${pct(pushes, 50).toFixed(1)} ms over ${pushes.length} (${pushFailures} failed)`);
    });

    // Pan and zoom: a drag, three wheel notches, a drag at that zoom, back to Fit; frames throughout.
    let pan: SeatMapBenchResult['pan'] = { durationMs: NaN, frames: 0, longestGapMs: NaN, p95GapMs: NaN, longTasks: { count: 0, maxMs: 0, totalMs: 0 } };
    let idle: SeatMapBenchResult['baselines']['idleFrames'] = { frames: 0, longestGapMs: NaN, p95GapMs: NaN };
    await phase('pan', errors, log, async () => {
      const box = (await page.getByTestId('seat-map').boundingBox())!;
      const cx = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      await page.mouse.move(cx, cy);
      await startFrames(page);
      const drag = async (dx: number, dy: number) => {
        await page.mouse.down();
        for (let i = 1; i <= 20; i++) await page.mouse.move(cx + (dx * i) / 20, cy + (dy * i) / 20);
        await page.mouse.up();
        await page.mouse.move(cx, cy);
      };
      await drag(-220, -90);
      for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -100);
      await page.waitForTimeout(250); // the map sets its viewBox 120 ms after the wheel stops
      await drag(180, 120);
      await page.getByRole('button', { name: 'Fit' }).click();
      const { frames, longTasks } = await stopFrames(page);
      const g = gaps(frames);
      pan = { durationMs: round(frames[frames.length - 1]! - frames[0]!), frames: frames.length, longestGapMs: round(Math.max(...g)), p95GapMs: round(pct(g, 95)), longTasks: longTaskStats(longTasks) };
      log(`pan: ${pan.frames} frames in ${pan.durationMs} ms, longest gap ${pan.longestGapMs} ms, p95 ${pan.p95GapMs} ms`);
      await startFrames(page);
      await page.waitForTimeout(pan.durationMs);
      const still = await stopFrames(page);
      const gi = gaps(still.frames);
      idle = { frames: still.frames.length, longestGapMs: round(Math.max(...gi)), p95GapMs: round(pct(gi, 95)) };
    });

    await context.close();
    return {
      seats: stadium.seatCount,
      seatMapBytes,
      firstDraw: { ...stats(draws), runsMs: draws.map(round), fetchStartP50Ms: round(pct(fetchStart, 50)), fetchDoneP50Ms: round(pct(fetchDone, 50)), longTasks: longTaskStats(drawTasks), drawLongTasks: longTaskStats(afterData) },
      baselines: {
        seatMapFetchMs: stats(fetchMs),
        bareRectsFirstDrawMs: stats(bare),
        bareRectsLongTasks: longTaskStats(bareTasks),
        idleFrames: idle,
        holdRoundTripMs: stats(roundTrips),
        apiHoldPostMs: stats(posts),
      },
      pan,
      clickToColourMs: { ...stats(clicks), failures: clickFailures },
      otherTerminalMs: { ...stats(pushes), failures: pushFailures },
      seedMs,
      totalMs: round(performance.now() - started),
      errors,
    };
  } catch (err) {
    // Whatever stopped the run, say what had already gone wrong too (a crash shows up as a closed page).
    const msg = (err as Error).message?.split('\n')[0] ?? String(err);
    throw new Error(`seat-map bench stopped: ${msg}${errors.length ? ` (before that: ${errors.join('; ')})` : ''}`, { cause: err });
  } finally {
    clearTimeout(watchdog);
    closing = true;
    // Each step bounded, each attempted whatever the one before did.
    const bounded = (p: Promise<unknown> | undefined) => Promise.race([p?.catch(() => undefined), new Promise((r) => setTimeout(r, 15_000).unref())]);
    await bounded(browser?.close());
    await bounded(app?.close());
    await bounded(store?.close());
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
