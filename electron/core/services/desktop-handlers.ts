import { AppError } from '../../../shared/errors.js';
import type { HttpServerStatus } from '../../../shared/operations/desktop-ops.js';
import type { Handler } from './handlers.js';

const UNAVAILABLE: HttpServerStatus = { available: false, enabled: false, running: false, port: null, url: null, tokenFile: null, error: null };

export const desktopHandlers: { getHttpServer: Handler<'getHttpServer'>; setHttpServer: Handler<'setHttpServer'> } = {
  getHttpServer: async (ctx) => ctx.httpControl?.status() ?? UNAVAILABLE,

  setHttpServer: async (ctx, settings) => {
    if (!ctx.httpControl) {
      throw new AppError('CONFLICT', 'The local HTTP server is switched on and off in the desktop app’s settings; this instance was started without it (browser mode or the CLI: use `marquee serve --port`)', {
        available: false,
      });
    }
    // Over HTTP a client could switch off the very server it talks to, or move it under other clients.
    if (ctx.channel !== 'kiosk') {
      throw new AppError('FORBIDDEN', 'The HTTP server can only be switched from the desktop app’s settings', { channel: ctx.channel });
    }
    return ctx.httpControl.configure(settings);
  },
};
