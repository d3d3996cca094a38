import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { HttpServerSettings, HttpServerStatus } from '../../../shared/operations/desktop-ops.js';
import { apiToken } from '../boot.js';
import { buildServer } from '../http/server.js';
import { API_PREFIX } from '../http/openapi.js';
import type { HttpControl, OpContext } from '../services/context.js';

export interface HttpControlOptions {
  ctx: Omit<OpContext, 'channel' | 'httpControl'>;
  dataDir: string;
  initial: HttpServerSettings;
  /** Called with the new settings before the server is changed, so a restart keeps them. */
  persist: (settings: HttpServerSettings) => void;
  env?: NodeJS.ProcessEnv;
  logger?: boolean;
}

export interface DesktopHttpControl extends HttpControl {
  /** Brings the server in line with the saved settings (at startup). */
  apply(): Promise<HttpServerStatus>;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * The desktop side of the `setHttpServer` operation: the same Fastify API as `marquee serve`,
 * loopback only, API only (the desktop window is the UI), with the token kept in the data dir.
 */
export function createHttpControl(o: HttpControlOptions): DesktopHttpControl {
  let settings: HttpServerSettings = { ...o.initial };
  let app: FastifyInstance | null = null;
  let runningPort: number | null = null;
  let error: string | null = null;
  let tokenFile: string | null = null;
  // Two quick toggles must not interleave a listen with a close.
  let chain: Promise<unknown> = Promise.resolve();

  const status = (): HttpServerStatus => ({
    available: true,
    enabled: settings.enabled,
    running: app !== null,
    port: runningPort,
    url: app && runningPort !== null ? `http://${HOST}:${runningPort}${API_PREFIX}` : null,
    tokenFile,
    error,
  });

  const stop = async () => {
    const current = app;
    app = null;
    runningPort = null;
    if (current) await current.close();
  };

  const start = async (port: number) => {
    const { token, source } = apiToken(o.dataDir, o.env ?? process.env);
    tokenFile = source === 'env' ? null : join(o.dataDir, 'api-token');
    const built = buildServer({ ctx: { ...o.ctx, httpControl: control }, token, port, host: HOST, logger: o.logger ?? false });
    try {
      await built.app.listen({ port, host: HOST });
    } catch (e) {
      await built.app.close().catch(() => undefined);
      const code = (e as { code?: string }).code;
      error = code === 'EADDRINUSE' ? `Port ${port} is already in use; choose another port` : `The HTTP server could not start: ${(e as Error).message}`;
      return;
    }
    app = built.app;
    runningPort = port;
    error = null;
  };

  const reconcile = async (): Promise<HttpServerStatus> => {
    if (app && (!settings.enabled || runningPort !== settings.port)) await stop();
    if (!settings.enabled) error = null;
    if (settings.enabled && !app) await start(settings.port);
    return status();
  };

  const serialised = (fn: () => Promise<HttpServerStatus>): Promise<HttpServerStatus> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };

  const control: DesktopHttpControl = {
    status,
    configure: (next) =>
      serialised(async () => {
        settings = { ...next };
        o.persist(settings);
        return reconcile();
      }),
    apply: () => serialised(reconcile),
    close: async () => {
      await chain;
      await stop();
    },
  };
  return control;
}
