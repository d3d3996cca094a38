import { z } from 'zod';
import { op } from './define.js';

export const DEFAULT_HTTP_PORT = 4310;

export const HttpServerSettings = z.strictObject({
  enabled: z.boolean(),
  // Below 1024 needs privileges on Linux/macOS; the server only ever binds loopback.
  port: z.number().int().min(1024).max(65535).default(DEFAULT_HTTP_PORT),
});
export type HttpServerSettings = z.output<typeof HttpServerSettings>;

export const HttpServerStatus = z.object({
  /** false when this process cannot run the server from settings (browser mode, the CLI). */
  available: z.boolean(),
  enabled: z.boolean(),
  running: z.boolean(),
  port: z.number().int().nullable(),
  /** Base of the API when running, e.g. http://127.0.0.1:4310/api/v1 */
  url: z.string().nullable(),
  /** Where the API token is kept; the token itself never reaches page code. */
  tokenFile: z.string().nullable(),
  /** Why the last start failed (port in use, …), else null. */
  error: z.string().nullable(),
});
export type HttpServerStatus = z.output<typeof HttpServerStatus>;

/** Desktop-only settings; in browser mode they answer that they are unavailable. */
export const desktopOps = {
  getHttpServer: op({
    summary: 'Whether the local HTTP API is switched on in the desktop app, and where',
    input: z.strictObject({}),
    output: HttpServerStatus,
    http: { method: 'GET', path: '/settings/http-server' },
    permission: 'read',
    mutates: false,
    tags: ['settings'],
  }),
  setHttpServer: op({
    summary: 'Switch the local HTTP API on or off (desktop app settings)',
    input: HttpServerSettings,
    output: HttpServerStatus,
    http: { method: 'PUT', path: '/settings/http-server' },
    permission: 'admin',
    mutates: true,
    tags: ['settings'],
  }),
};
