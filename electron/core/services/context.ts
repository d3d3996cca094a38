import type { HttpServerSettings, HttpServerStatus } from '../../../shared/operations/desktop-ops.js';
import type { Role } from '../../../shared/auth/roles.js';
import type { Store } from '../store/contract/store.js';

/** Who is calling: a signed-in user (kiosk or browser session) or an API token's user. */
export interface Actor {
  userId: number | null;
  username: string;
  role: Role;
  /** The seller a seller account posts and imports for. */
  sellerId: number | null;
  /** Which kiosk window or HTTP client (e.g. "kiosk:3", "http 127.0.0.1"). */
  terminal: string | null;
  tokenId: number | null;
  via: 'session' | 'token' | 'kiosk' | 'system';
}

/** How a transport starts and ends the caller's signed-in session (browser cookie, kiosk window). */
export interface SessionPort {
  start(userId: number): void;
  end(): void;
}

/** What a handler may add to the audit entry invoke() writes for it. */
export interface AuditNote {
  subject?: string;
  before?: unknown;
  after?: unknown;
  /** signIn: the entry is the signed-in user's, though the caller was anonymous. */
  actor?: Actor;
}

/** The desktop app's switch for the local HTTP API; absent in browser mode and the CLI. */
export interface HttpControl {
  status(): HttpServerStatus;
  /** Persists the settings and starts, moves or stops the server to match. */
  configure(settings: HttpServerSettings): Promise<HttpServerStatus>;
}

/**
 * Which database this instance was started on and, in the desktop app, the saved choice for the
 * next start. URLs here carry the password: handlers mask them before they leave.
 */
export interface StoreControl {
  status(): {
    source: 'settings' | 'command line' | 'environment' | 'default';
    /** The URL the running store was opened with (null: embedded). */
    url: string | null;
    /** The URL saved for the next start (desktop settings file), null: embedded. */
    saved: string | null;
    /** Whether save() works here: the desktop app's settings file; not `marquee serve`. */
    editable: boolean;
  };
  /** Persists the choice (null: embedded) for the next start; the running store is not changed. */
  save(url: string | null): Promise<void>;
}

/** What saveTicketsPdf asks the desktop app for. */
export interface TicketPdfRequest {
  /** The calling window (webContents id): the one showing #/orders/<orderCode>/tickets. */
  window: number;
  /** The order, as the store spells it. */
  orderCode: string;
  /** The suggested file name (`<orderCode>-tickets.pdf`). */
  fileName: string;
}

/**
 * The desktop app's "save this window's tickets as a PDF" (Electron's printToPDF and a save dialog,
 * injected by electron/app/ticket-pdf.ts through the core host); absent in browser mode and the CLI,
 * where the browser's print dialog does it. `saved: false` (path null): the dialog was cancelled.
 */
export interface TicketPdfExport {
  save(request: TicketPdfRequest): Promise<{ saved: boolean; path: string | null }>;
}

export interface OpContext {
  store: Store;
  /** Where the call came from: IPC is the kiosk, HTTP is an integration. */
  channel: 'kiosk' | 'api';
  version: string;
  httpControl?: HttpControl;
  storeControl?: StoreControl;
  ticketPdf?: TicketPdfExport;
  /** The desktop window (webContents id) the call came from; set by the core host for kiosk calls. */
  window?: number;
  /** Set by invoke() for each call from its Caller: undefined = an internal call with full access, null = nobody signed in. */
  actor?: Actor | null;
  session?: SessionPort;
  /** Which kiosk window or HTTP client, signed in or not. */
  terminal?: string | null;
  audit?: AuditNote;
  /** Injectable clock for time rules (void window, throttle); Date.now by default. */
  clock?: () => number;
}
