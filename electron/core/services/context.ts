import type { HttpServerSettings, HttpServerStatus } from '../../../shared/operations/desktop-ops.js';
import type { Store } from '../store/database.js';

/** The desktop app's switch for the local HTTP API; absent in browser mode and the CLI. */
export interface HttpControl {
  status(): HttpServerStatus;
  /** Persists the settings and starts, moves or stops the server to match. */
  configure(settings: HttpServerSettings): Promise<HttpServerStatus>;
}

export interface OpContext {
  store: Store;
  /** Where the call came from: IPC is the kiosk, HTTP is an integration. */
  channel: 'kiosk' | 'api';
  version: string;
  httpControl?: HttpControl;
}
