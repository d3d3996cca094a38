import type { Store } from '../store/database.js';

export interface OpContext {
  store: Store;
  /** Where the call came from: IPC is the kiosk, HTTP is an integration. */
  channel: 'kiosk' | 'api';
  version: string;
}
