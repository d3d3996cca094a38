// saveTicketsPdf in the desktop app: the calling window, showing #/orders/<code>/tickets (the
// renderer's print view, served by app://), is printed to PDF with the print stylesheet and saved
// where the person chooses. The core asks for it through the core host (TicketPdfExport); this file
// only imports types from `electron`, so the unit tests drive it with fakes.
//
// Why the calling window and not a fresh hidden one: kiosk sign-ins belong to a window (a hidden
// window would be signed out and get no ticket codes), and the page already shows this print's
// reprint mark (the renderer logs the print with recordTicketPrint, then asks for the PDF).
import { join } from 'node:path';
import type { PrintToPDFOptions, SaveDialogOptions, SaveDialogReturnValue, WebContents } from 'electron';
import { AppError } from '../../shared/errors.js';
import type { TicketPdfExport, TicketPdfRequest } from '../core/services/context.js';
import { isAppUrl } from './app-origin.js';

/** A4 (the print CSS sets margins, not a size), with the ticket borders and shading. */
export const TICKET_PDF_OPTIONS: PrintToPDFOptions = { printBackground: true, pageSize: 'A4' };

/** The part of WebContents the export uses. */
export type PdfContents = Pick<WebContents, 'getURL' | 'isLoading' | 'once' | 'printToPDF'>;

export interface TicketPdfDeps<W> {
  /** One of our own windows by webContents id, with its contents; null when the id is not ours (or is gone). */
  appWindow(webContentsId: number): { window: W; contents: PdfContents } | null;
  /** dialog.showSaveDialog, attached to the calling window. */
  showSaveDialog(window: W, options: SaveDialogOptions): Promise<Pick<SaveDialogReturnValue, 'canceled' | 'filePath'>>;
  /** app.getPath('documents'). */
  documentsDir(): string;
  /** fs.promises.writeFile. */
  writeFile(path: string, data: Uint8Array): Promise<void>;
  log(...parts: unknown[]): void;
}

/** `#/orders/<code>/tickets` as the renderer's router reads it (router.ts parseHash). */
function ticketsRouteCode(url: string): string | null {
  if (!isAppUrl(url)) return null;
  const hash = new URL(url).hash.replace(/^#/, '');
  const segments = (hash.split('?', 1)[0] ?? '').split('/').filter(Boolean);
  if (segments.length !== 3 || segments[0] !== 'orders' || segments[2] !== 'tickets') return null;
  try {
    return decodeURIComponent(segments[1]!);
  } catch {
    return null;
  }
}

/** The URL of an order's printable tickets in the desktop app. */
export const ticketsRouteUrl = (origin: string, orderCode: string) => `${origin}/index.html#/orders/${encodeURIComponent(orderCode)}/tickets`;

function settled(contents: PdfContents): Promise<void> {
  if (!contents.isLoading()) return Promise.resolve();
  return new Promise((resolve) => contents.once('did-stop-loading', () => resolve()));
}

export function createTicketPdfExport<W>(deps: TicketPdfDeps<W>): TicketPdfExport {
  return {
    async save(request: TicketPdfRequest) {
      const target = deps.appWindow(request.window);
      if (!target) throw new AppError('CONFLICT', 'Only a Marquee window can save its tickets as PDF', { available: false });
      const shown = ticketsRouteCode(target.contents.getURL());
      // Prints what the window shows: it must be this order's printable tickets, nothing else.
      if (shown === null || shown.toUpperCase() !== request.orderCode.toUpperCase()) {
        throw new AppError('CONFLICT', `This window is not showing the tickets of order ${request.orderCode}; open them first`, { orderCode: request.orderCode });
      }
      const choice = await deps.showSaveDialog(target.window, {
        title: `Save the tickets of order ${request.orderCode}`,
        defaultPath: join(deps.documentsDir(), request.fileName),
        filters: [{ name: 'PDF', extensions: ['pdf'] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      if (choice.canceled || !choice.filePath) return { saved: false, path: null };
      const path = /\.pdf$/i.test(choice.filePath) ? choice.filePath : `${choice.filePath}.pdf`;
      await settled(target.contents);
      // The dialog took a while: the window may have moved on meanwhile.
      if (ticketsRouteCode(target.contents.getURL())?.toUpperCase() !== request.orderCode.toUpperCase()) {
        throw new AppError('CONFLICT', `This window left the tickets of order ${request.orderCode}; nothing was saved`, { orderCode: request.orderCode });
      }
      const pdf = await target.contents.printToPDF(TICKET_PDF_OPTIONS);
      await deps.writeFile(path, pdf);
      deps.log(`saved the tickets of order ${request.orderCode} as`, path);
      return { saved: true, path };
    },
  };
}
