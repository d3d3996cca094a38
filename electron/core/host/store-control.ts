import type { StoreControl } from '../services/context.js';
import type { HostMessage, StoreSettingsInit } from './protocol.js';

/**
 * The desktop side of Settings → Shared database: the URL the store was opened with, and the one
 * saved for the next start. Main keeps the settings file; messages arrive in order, so the last save wins there too.
 */
export function desktopStoreControl(init: StoreSettingsInit, inEffect: string | null, post: (m: HostMessage) => void): StoreControl {
  let saved = init.saved;
  return {
    status: () => ({ source: init.source, url: inEffect, saved, editable: init.source !== 'environment' }),
    save: async (url) => {
      saved = url;
      post({ type: 'persist-store', databaseUrl: url });
    },
  };
}
