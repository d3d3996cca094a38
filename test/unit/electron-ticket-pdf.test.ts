// saveTicketsPdf in the desktop app (issue 13): electron/app/ticket-pdf.ts against fake windows,
// dialog and file system (no Electron binary here), then the whole path — IPC bridge → core host
// worker → main's export → back — with a real store.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ORIGIN } from '../../electron/app/app-origin.js';
import { createSenderCheck, registerIpcHandlers, type SenderEvent } from '../../electron/app/ipc-bridge.js';
import { FakeIpcMain } from '../support/fake-ipc-main.js';
import { TICKET_PDF_OPTIONS, createTicketPdfExport, ticketsRouteUrl, type PdfContents, type TicketPdfDeps } from '../../electron/app/ticket-pdf.js';
import { inProcessCore } from '../../electron/core/host/answer.js';
import { startCoreHost, type CoreHost } from '../../electron/core/host/core-host.js';
import { memoryStore } from '../helpers.js';

type Fn = (...args: unknown[]) => unknown;
const PDF = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37]); // %PDF-1.7

class FakeContents {
  readonly printed: unknown[] = [];
  readonly once_ = new Map<string, Fn>();
  loading = false;
  constructor(public url: string) {}
  getURL() {
    return this.url;
  }
  isLoading() {
    return this.loading;
  }
  once(event: string, fn: Fn) {
    this.once_.set(event, fn);
    return this;
  }
  async printToPDF(options: unknown) {
    this.printed.push(options);
    return Buffer.from(PDF);
  }
}

interface FakeWindow {
  name: string;
}

function fakes(o: { url?: string; choose?: string | null; ours?: boolean } = {}) {
  const contents = new FakeContents(o.url ?? 'app://marquee/index.html#/orders/MQ-AB12-CD34/tickets');
  const window: FakeWindow = { name: 'box office' };
  const dialogs: { window: FakeWindow; options: Electron.SaveDialogOptions }[] = [];
  const written: { path: string; data: Uint8Array }[] = [];
  const logged: unknown[][] = [];
  const deps: TicketPdfDeps<FakeWindow> = {
    appWindow: (id) => (id === 7 && o.ours !== false ? { window, contents: contents as unknown as PdfContents } : null),
    showSaveDialog: async (w, options) => {
      dialogs.push({ window: w, options });
      const choice = o.choose === undefined ? '/home/clerk/Documents/MQ-AB12-CD34-tickets.pdf' : o.choose;
      return choice === null ? { canceled: true, filePath: '' } : { canceled: false, filePath: choice };
    },
    documentsDir: () => '/home/clerk/Documents',
    writeFile: async (path, data) => void written.push({ path, data }),
    log: (...parts) => logged.push(parts),
  };
  return { exporter: createTicketPdfExport(deps), contents, window, dialogs, written, logged };
}

const request = { window: 7, orderCode: 'MQ-AB12-CD34', fileName: 'MQ-AB12-CD34-tickets.pdf' };

describe('ticket PDF export (main side, with fakes)', () => {
  it('prints the calling window’s tickets route to A4 with backgrounds and writes the bytes to the chosen path', async () => {
    const f = fakes();
    expect(await f.exporter.save(request)).toEqual({ saved: true, path: '/home/clerk/Documents/MQ-AB12-CD34-tickets.pdf' });
    expect(f.contents.printed).toEqual([{ printBackground: true, pageSize: 'A4' }]);
    expect(TICKET_PDF_OPTIONS).toEqual({ printBackground: true, pageSize: 'A4' });
    expect(f.written).toHaveLength(1);
    expect(f.written[0]!.path).toBe('/home/clerk/Documents/MQ-AB12-CD34-tickets.pdf');
    expect([...f.written[0]!.data]).toEqual([...PDF]);
    // The dialog belongs to the calling window and suggests <orderCode>-tickets.pdf in Documents.
    expect(f.dialogs).toHaveLength(1);
    expect(f.dialogs[0]!.window).toBe(f.window);
    expect(f.dialogs[0]!.options).toMatchObject({ defaultPath: join('/home/clerk/Documents', 'MQ-AB12-CD34-tickets.pdf'), filters: [{ name: 'PDF', extensions: ['pdf'] }] });
    expect(f.logged.at(-1)).toEqual(['saved the tickets of order MQ-AB12-CD34 as', '/home/clerk/Documents/MQ-AB12-CD34-tickets.pdf']);
  });

  it('the tickets route is the app protocol’s #/orders/<code>/tickets', () => {
    expect(ticketsRouteUrl(APP_ORIGIN, 'MQ-AB12-CD34')).toBe('app://marquee/index.html#/orders/MQ-AB12-CD34/tickets');
  });

  it('a cancelled dialog answers saved: false, path: null, and prints and writes nothing', async () => {
    for (const choose of [null, '']) {
      const f = fakes({ choose });
      expect(await f.exporter.save(request)).toEqual({ saved: false, path: null });
      expect(f.contents.printed).toEqual([]);
      expect(f.written).toEqual([]);
    }
  });

  it('adds .pdf when the chosen name has none', async () => {
    const f = fakes({ choose: '/tmp/door-2' });
    expect(await f.exporter.save(request)).toEqual({ saved: true, path: '/tmp/door-2.pdf' });
    expect(f.written[0]!.path).toBe('/tmp/door-2.pdf');
  });

  it.each([
    ['another order', 'app://marquee/index.html#/orders/MQ-ZZZZ-ZZZZ/tickets'],
    ['the order itself, not its tickets', 'app://marquee/index.html#/orders/MQ-AB12-CD34'],
    ['another screen', 'app://marquee/index.html#/events/12'],
    ['a foreign page', 'https://evil.example/#/orders/MQ-AB12-CD34/tickets'],
    ['a look-alike origin', 'app://marquee.evil/index.html#/orders/MQ-AB12-CD34/tickets'],
  ])('refuses (CONFLICT) a window showing %s, before any dialog', async (_what, url) => {
    const f = fakes({ url });
    await expect(f.exporter.save(request)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(f.dialogs).toEqual([]);
    expect(f.contents.printed).toEqual([]);
  });

  it('matches the order code as the router does: case and percent-encoding aside', async () => {
    const f = fakes({ url: 'app://marquee/index.html#/orders/mq-ab12-cd34/tickets?x=1' });
    expect(await f.exporter.save(request)).toMatchObject({ saved: true });
  });

  it('refuses a webContents that is not one of our windows', async () => {
    const f = fakes({ ours: false });
    await expect(f.exporter.save(request)).rejects.toMatchObject({ code: 'CONFLICT', details: { available: false } });
  });

  it('refuses when the window left the tickets while the dialog was open', async () => {
    const f = fakes();
    const ask = f.exporter.save(request);
    f.contents.url = 'app://marquee/index.html#/events';
    await expect(ask).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(f.written).toEqual([]);
  });

  it('waits for a page still loading before printing', async () => {
    const f = fakes();
    f.contents.loading = true;
    let done = false;
    const ask = f.exporter.save(request).then((r) => ((done = true), r));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    expect(f.contents.printed).toEqual([]);
    f.contents.loading = false;
    f.contents.once_.get('did-stop-loading')!();
    expect(await ask).toMatchObject({ saved: true });
  });
});

const fromWindow = (id: number, url = 'app://marquee/index.html'): SenderEvent => ({ sender: { id }, senderFrame: { url, parent: null } });

describe('saveTicketsPdf over IPC', () => {
  it('without the capability (browser mode, marquee serve) it answers CONFLICT', async () => {
    const store = await memoryStore({ seed: true });
    try {
      const ipc = new FakeIpcMain();
      registerIpcHandlers(ipc, { core: inProcessCore({ store, version: 'test' }), isTrustedSender: createSenderCheck(() => true) });
      expect(await ipc.call(fromWindow(7), 'saveTicketsPdf', { code: 'MQ-AB12-CD34' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { available: false } } });
    } finally {
      await store.close();
    }
  });

  describe('through the core host worker, with main’s export', () => {
    let dir: string;
    let host: CoreHost;
    let ipc: FakeIpcMain;
    let code: string;
    const windows = new Map<number, FakeContents>();
    let choose: string | null = null;
    const internal: unknown[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'marquee-ticket-pdf-'));
      const exporter = createTicketPdfExport<number>({
        appWindow: (id) => (windows.has(id) ? { window: id, contents: windows.get(id)! as unknown as PdfContents } : null),
        showSaveDialog: async () => (choose === null ? { canceled: true, filePath: '' } : { canceled: false, filePath: choose }),
        documentsDir: () => dir,
        writeFile: (path, data) => writeFile(path, data),
        log: () => undefined,
      });
      host = await startCoreHost({ store: { dataDir: join(dir, 'data') }, version: 'test', ticketPdf: exporter, onTicketPdfError: (err) => internal.push(err) });
      ipc = new FakeIpcMain();
      registerIpcHandlers(ipc, { core: host, caller: (e) => ({ kind: 'kiosk', senderId: e.sender.id }), isTrustedSender: createSenderCheck((id) => id === 1 || id === 2) });
      const admin = host.firstRunAdmin!;
      expect(await ipc.call(fromWindow(1), 'signIn', { username: admin.username, password: admin.password })).toMatchObject({ ok: true });
      const events = (await ipc.call(fromWindow(1), 'searchEvents', { limit: 50 })) as { ok: true; value: { items: { id: number }[] } };
      for (const e of events.value.items) {
        const best = await ipc.call(fromWindow(1), 'bestTicket', { id: e.id, strategy: 'cheapest' });
        if (!best.ok) continue;
        const t = (best.value as { ticket: { id: number; priceCents: number } }).ticket;
        const sold = (await ipc.call(fromWindow(1), 'sellTicket', { id: t.id, payment: { tender: 'cash', tenderedCents: t.priceCents } })) as { ok: true; value: { order: { code: string } } };
        code = sold.value.order.code;
        break;
      }
      expect(code).toMatch(/^MQ-/);
    }, 60_000);
    afterAll(async () => {
      await host?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('no longer answers CONFLICT: the calling window’s tickets are written as PDF, default name <orderCode>-tickets.pdf', async () => {
      windows.set(1, new FakeContents(ticketsRouteUrl(APP_ORIGIN, code)));
      choose = join(dir, `${code}-tickets.pdf`);
      // As the renderer does: the print is logged first (recordTicketPrint, the audit log), then saved.
      expect(await ipc.call(fromWindow(1), 'recordTicketPrint', { code })).toMatchObject({ ok: true, value: { orderCode: code, printedBefore: 0 } });
      expect(await ipc.call(fromWindow(1), 'saveTicketsPdf', { code })).toEqual({ ok: true, value: { saved: true, path: choose } });
      expect([...readFileSync(choose)]).toEqual([...PDF]);
      expect(windows.get(1)!.printed).toEqual([TICKET_PDF_OPTIONS]);
      expect(await ipc.call(fromWindow(1), 'getTicketCodes', { code })).toMatchObject({ ok: true, value: { printed: 1 } });
    });

    it('a cancelled dialog crosses back as saved: false', async () => {
      choose = null;
      expect(await ipc.call(fromWindow(1), 'saveTicketsPdf', { code })).toEqual({ ok: true, value: { saved: false, path: null } });
    });

    it('the export’s refusal crosses the thread as CONFLICT; a window of ours showing no tickets, or none at all, gets it', async () => {
      windows.set(1, new FakeContents('app://marquee/index.html#/events'));
      expect(await ipc.call(fromWindow(1), 'saveTicketsPdf', { code })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      windows.delete(2);
      const admin = host.firstRunAdmin!;
      await ipc.call(fromWindow(2), 'signIn', { username: admin.username, password: admin.password });
      expect(await ipc.call(fromWindow(2), 'saveTicketsPdf', { code })).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { available: false } } });
      expect(internal).toEqual([]);
    });

    it('unknown orders are NOT_FOUND before main is asked; signed-out windows are refused', async () => {
      windows.set(1, new FakeContents(ticketsRouteUrl(APP_ORIGIN, code)));
      expect(await ipc.call(fromWindow(1), 'saveTicketsPdf', { code: 'MQ-AAAA-BBBB' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      await ipc.call(fromWindow(1), 'signOut');
      expect(await ipc.call(fromWindow(1), 'saveTicketsPdf', { code })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      expect(windows.get(1)!.printed).toEqual([]);
    });
  });
});
