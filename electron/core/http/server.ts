import { existsSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { AppError } from '../../../shared/errors.js';
import { operations, type OperationName } from '../../../shared/operations/index.js';
import { anonymous, callerForUser, callerOf, firstAdminCaller, TokenCallers } from '../auth/callers.js';
import { securitySettings } from '../services/auth-handlers.js';
import type { OpContext, SessionPort } from '../services/context.js';
import { invoke, toAppError, type Caller } from '../services/dispatch.js';
import { BrowserSessions, parseCookies, safeEqual } from './auth.js';
import { coerceStrings } from './coerce.js';
import { CSP, PERMISSIONS_POLICY } from './csp.js';
import { registerLiveRoute } from './live-route.js';
import { renderDocsPage } from './docs-page.js';
import { API_PREFIX, buildOpenApi, pathParams } from './openapi.js';

export const SESSION_COOKIE = 'marquee_session';
export { CSP, PERMISSIONS_POLICY };

/** Whether an object has any own or inherited enumerable key, without building the list of keys. */
function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

export interface ServerOptions {
  ctx: Omit<OpContext, 'channel'>;
  token: string;
  /** Accepted in the Host header; by default the port the server is bound to (so port 0 works). */
  port?: number;
  host?: string;
  /** Built renderer to serve in browser mode (dist/renderer); omitted → API only. */
  rendererDir?: string;
  logger?: boolean;
  jsonBodyLimit?: number;
  csvBodyLimit?: number;
  /** How long a slow or silent client may hold a connection (tests shorten them); see HTTP_LIMITS. */
  limits?: Partial<HttpLimits>;
}

export interface HttpLimits {
  /** The request line and headers must arrive within this (slowloris, silent connections). */
  headersTimeoutMs: number;
  /** The whole request, body included (a 64 MB CSV upload over a slow LAN fits). */
  requestTimeoutMs: number;
  /** A socket with no traffic either way this long is closed (a client that stopped reading its response). */
  idleSocketTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** How often Node looks for connections past headersTimeoutMs / requestTimeoutMs. */
  checkIntervalMs: number;
  /** Open connections at most; further ones are refused until some close. Far above a box office's use. */
  maxConnections: number;
  /** Request line plus headers at most (larger: 431). */
  maxHeaderBytes: number;
  /**
   * Requests one connection may have unanswered at once (HTTP pipelining). Node parses every request of
   * a packet at once and holds each answer until the client reads the one before: without a cap, 100
   * pipelined exports from a client that never reads would sit in memory together.
   */
  maxPipelined: number;
}

/**
 * Node's defaults let a silent client hold a connection for minutes (headers 60 s, request 300 s,
 * idle forever) and check only every 30 s. These make hostile clients cheap to shed; a seat map's live
 * stream sends a keep-alive every 15 s, so it is never idle that long.
 */
export const HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 120_000,
  idleSocketTimeoutMs: 60_000,
  keepAliveTimeoutMs: 10_000,
  checkIntervalMs: 1_000,
  maxConnections: 4_096,
  maxHeaderBytes: 16 * 1024,
  maxPipelined: 16,
};

/** Unanswered requests of a connection, kept on the socket itself (cheaper than a map on the hot path). */
const PENDING = Symbol('marquee.pendingRequests');
type CountedSocket = Socket & { [PENDING]?: number };

const CLIENT_ERRORS: Record<string, AppError> = {
  ERR_HTTP_REQUEST_TIMEOUT: new AppError('REQUEST_TIMEOUT', 'The request did not arrive in time'),
  HPE_HEADER_OVERFLOW: new AppError('HEADERS_TOO_LARGE', 'The request headers are too large'),
};

/** Malformed, oversized or too slow requests, refused before routing: answered in the API's error shape, then closed. */
function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const e = CLIENT_ERRORS[err.code ?? ''] ?? new AppError('BAD_REQUEST', 'The request is not valid HTTP');
  const body = JSON.stringify(e.toBody());
  socket.end(
    `HTTP/1.1 ${e.status} ${STATUS_CODES[e.status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
  // A client that does not read the answer does not keep the socket either.
  socket.setTimeout(5_000, () => socket.destroy());
}

export function buildServer(o: ServerOptions): { app: FastifyInstance; sessions: BrowserSessions } {
  const limits = { ...HTTP_LIMITS, ...o.limits };
  const app = Fastify({
    logger: o.logger ? { level: 'info' } : false,
    bodyLimit: o.jsonBodyLimit ?? 1024 * 1024,
    http: { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: limits.checkIntervalMs, maxHeaderSize: limits.maxHeaderBytes },
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.idleSocketTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Our own 503 while closing (below), in the API's error shape.
    return503OnClosing: false,
    clientErrorHandler: answerClientError,
    // A URL Fastify cannot route (bad percent-encoding, an over-long path parameter) gets the one error shape too.
    frameworkErrors: (err, _req, reply: FastifyReply) => {
      const message = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path parameter is too long' : 'The URL is not valid (bad percent-encoding?)';
      void reply.status(400).type('application/json').send(new AppError('BAD_REQUEST', message, { code: err.code }).toBody());
    },
  });
  app.server.maxConnections = limits.maxConnections;
  const sessions = new BrowserSessions();
  const ctx: OpContext = { ...o.ctx, channel: 'api' };
  const host = o.host ?? '127.0.0.1';
  let allowed: Set<string> | null = null;
  const allowedHosts = () => {
    if (!allowed) {
      const port = o.port || (app.server.address() as AddressInfo | null)?.port;
      allowed = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${host}:${port}`]);
    }
    return allowed;
  };
  const openapi = buildOpenApi(o.ctx.version);
  const docs = renderDocsPage(openapi);

  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: o.csvBodyLimit ?? 64 * 1024 * 1024 }, (_req, body, done) => done(null, body));
  // Streamed bodies (bulk NDJSON, http.stream in the table) reach the op unbuffered; it enforces its own limits.
  for (const t of new Set(Object.values(operations).flatMap((d) => (d.http.stream ? [d.http.stream.contentType] : [])))) {
    app.addContentTypeParser(t, (_req, payload, done) => done(null, payload));
  }

  const sendError = (reply: FastifyReply, err: AppError) => {
    const retry = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (err.code === 'TOO_MANY_REQUESTS' && typeof retry === 'number') reply.header('retry-after', String(retry));
    return reply.status(err.status).type('application/json').send(err.toBody());
  };

  // Stopping: requests already running finish; one that arrives on a kept-alive connection is not started.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });

  // DNS rebinding: a page on evil.example resolving to 127.0.0.1 still sends its own Host.
  // A callback hook, not an async one: every request passes here, and a promise per request shows in the profile.
  app.addHook('onRequest', (req, reply, done) => {
    if (closing) {
      reply.header('connection', 'close');
      void sendError(reply, new AppError('SHUTTING_DOWN', 'The box office server is stopping; nothing was done. Try again when it is back.'));
      return;
    }
    const socket = req.raw.socket as CountedSocket;
    const pending = (socket[PENDING] ?? 0) + 1;
    if (pending > limits.maxPipelined) {
      // Answers go out in order, so there is no answering this one now: the connection goes, and its answers with it.
      socket.destroy();
      return;
    }
    socket[PENDING] = pending;
    if (!allowedHosts().has(String(req.headers.host ?? '').toLowerCase())) {
      // Answering from the hook: done() is not called, so the route never runs.
      void sendError(reply, new AppError('FORBIDDEN', 'This server only answers to its loopback address', { host: req.headers.host ?? null }));
      return;
    }
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    done();
  });

  app.addHook('onResponse', (req, _reply, done) => {
    const socket = req.raw.socket as CountedSocket;
    if (socket[PENDING]) socket[PENDING]--;
    done();
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    if (err instanceof AppError) return sendError(reply, err);
    const status = err.statusCode ?? 500;
    if (status === 413) return sendError(reply, new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large'));
    if (status === 415) return sendError(reply, new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send application/json (or text/csv for imports)'));
    if (status >= 400 && status < 500) {
      return sendError(reply, new AppError('BAD_REQUEST', err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError ? 'The body is not valid JSON' : err.message, { code: err.code }));
    }
    // The store names its own failures (a lost database is STORE_UNAVAILABLE, 503), not a bare 500.
    const described = ctx.store.describeError?.(err) ?? toAppError(err);
    if (described.code === 'INTERNAL') app.log.error(err);
    else app.log.warn({ code: described.code }, described.message);
    return sendError(reply, described);
  });

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/')) return sendError(reply, new AppError('NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`));
    return reply.status(404).type('text/plain').send('Not found');
  });

  const cookieSid = (req: FastifyRequest) => parseCookies(req.headers.cookie)[SESSION_COOKIE];

  /** signIn/signOut over HTTP start and end the browser's session cookie. */
  class HttpSessionPort implements SessionPort {
    // A class rather than an object of closures: one is made per request, and the sell path is hot.
    constructor(
      private readonly req: FastifyRequest,
      private readonly reply: FastifyReply,
    ) {}

    start(userId: number): void {
      sessions.end(cookieSid(this.req));
      this.reply.header('set-cookie', `${SESSION_COOKIE}=${sessions.create(userId)}; HttpOnly; SameSite=Strict; Path=/`);
    }

    end(): void {
      sessions.end(cookieSid(this.req));
      this.reply.header('set-cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
    }
  }

  // The idle lock's minutes, re-read at most every 30 s; a minute of slack over the page's own lock.
  let idle = { ms: 6 * 60_000, readAt: 0 };
  const sessionIdleMs = async () => {
    if (Date.now() - idle.readAt > 30_000) idle = { ms: ((await securitySettings(o.ctx.store.reader)).idleLockMinutes + 1) * 60_000, readAt: Date.now() };
    return idle.ms;
  };

  /** The server token before its user exists (tests, an API-only server): the first admin, or an admin with no account. */
  const serverTokenCaller = async (terminal: string, session?: SessionPort): Promise<Caller> => {
    const admin = await firstAdminCaller(o.ctx.store.auth, { terminal, via: 'token', session });
    if (admin) return admin;
    return callerOf({ userId: null, username: 'server-token', role: 'admin', sellerId: null, terminal, tokenId: null, via: 'token' }, session);
  };

  /**
   * Who is calling: a Bearer token (looked up by hash unless nothing was committed since, so revocation is immediate)
   * or a browser session cookie. `required` false (public operations) gives the anonymous caller.
   */
  const tokenCallers = new TokenCallers(o.ctx.store);
  const authenticate = async (req: FastifyRequest, required: boolean, session?: SessionPort): Promise<Caller> => {
    const terminal = `http ${req.ip}`;
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const token = auth.slice(7).trim();
      const looked = tokenCallers.lookup(token, terminal);
      const found = looked instanceof Promise ? await looked : looked;
      if (found.kind === 'ok') return { ...found.caller, session };
      if (found.kind === 'unknown' && safeEqual(token, o.token)) return serverTokenCaller(terminal, session);
      throw new AppError('UNAUTHORIZED', found.kind === 'revoked' ? 'This API token was revoked' : 'The API token is not valid');
    }
    const sid = cookieSid(req);
    const userId = sessions.userOf(sid, await sessionIdleMs());
    if (userId !== undefined) {
      // A cookie rides along with cross-site requests; SameSite=Strict stops most, Origin stops the rest.
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedHosts().has(origin.replace(/^https?:\/\//, '').toLowerCase())) {
        throw new AppError('FORBIDDEN', 'Cross-origin requests are refused', { origin });
      }
      // A GET from <script>/<img> on another port of this machine carries the cookie (same site) but no Origin;
      // the browser still says where it came from. 'none' is the person typing the address.
      const site = req.headers['sec-fetch-site'];
      if (site === 'cross-site' || site === 'same-site') {
        throw new AppError('FORBIDDEN', 'Cross-origin requests are refused', { secFetchSite: site });
      }
      const bterm = `browser ${req.ip}`;
      const caller = userId === null ? await serverTokenCaller(bterm, session) : await callerForUser(o.ctx.store.auth, userId, { terminal: bterm, via: 'session', session });
      if (caller) return caller;
      sessions.end(sid); // the account was deactivated: its sessions end at once
    }
    if (!required) return anonymous(session, terminal);
    throw new AppError('UNAUTHORIZED', 'Sign in, or send Authorization: Bearer <token> (the token is printed when the server starts)');
  };

  app.get(`${API_PREFIX}/openapi.json`, async () => openapi);
  app.get(`${API_PREFIX}/docs`, async (_req, reply) => reply.type('text/html').header('content-security-policy', CSP).header('permissions-policy', PERMISSIONS_POLICY).send(docs));

  for (const [name, def] of Object.entries(operations) as [OperationName, (typeof operations)[OperationName]][]) {
    const { method, path, status = 200, body = 'json', headers = {} } = def.http;
    const params = pathParams(path);
    const headerFields = Object.entries(headers);
    const readsQuery = method === 'GET' || method === 'DELETE';
    const url = API_PREFIX + path;
    app.route({
      method,
      url,
      ...(body === 'csv' ? { bodyLimit: o.csvBodyLimit ?? 64 * 1024 * 1024 } : {}),
      // Every open window polls health (the store banner): its requests are not logged one by one.
      ...(name === 'health' ? { logLevel: 'warn' as const } : {}),
      handler: async (req, reply) => {
        const session = new HttpSessionPort(req, reply);
        const caller =
          name === 'health'
            ? // Health answers everyone alike, so it never looks at the cookie: the UI's banner polls it
              // every second or two, and that must not keep an idle session alive (the idle lock).
              anonymous(session, `http ${req.ip}`)
            : def.permission === 'public'
              ? await authenticate(req, false, session).catch(() => anonymous(session, `http ${req.ip}`)) // a stale cookie or token must not block sign-in
              : await authenticate(req, true, session);
        const contentType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        const hasBody = req.body !== undefined && req.body !== null;
        if (hasBody && body === 'csv' && contentType !== 'text/csv') {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as text/csv');
        }
        const streamed = hasBody && def.http.stream !== undefined && contentType === def.http.stream.contentType;
        if (hasBody && body === 'json' && contentType !== 'application/json' && !streamed) {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send application/json');
        }
        let input: Record<string, unknown> = {};
        const query = (req.query ?? {}) as Record<string, unknown>;
        if (readsQuery) input = { ...query };
        else if (body === 'csv') input = { ...query, csv: hasBody ? req.body : '' };
        else {
          if (hasKeys(query)) throw new AppError('VALIDATION_FAILED', 'This route takes its input in the JSON body, not the query string', { query: Object.keys(query) });
          let json: unknown = req.body;
          // http.bareBody: a bare array, or a body without that field, is the list itself (one item or many).
          const bare = def.http.bareBody;
          if (hasBody && !streamed && bare && (typeof json !== 'object' || Array.isArray(json) || !Object.hasOwn(json as object, bare))) {
            json = { [bare]: Array.isArray(json) ? json : [json] };
          }
          if (streamed) json = { [def.http.stream!.field]: req.body };
          if (hasBody && (typeof json !== 'object' || Array.isArray(json))) throw new AppError('VALIDATION_FAILED', 'The JSON body must be an object');
          input = { ...(hasBody ? (json as Record<string, unknown>) : {}) };
        }
        const routeParams = req.params as Record<string, string>;
        for (const p of params) {
          if (p in input) throw new AppError('VALIDATION_FAILED', `${p} comes from the path`, { field: p });
          input[p] = routeParams[p];
        }
        for (const [header, field] of headerFields) {
          const v = req.headers[header];
          if (typeof v === 'string') input[field] = v;
        }
        // Text from the query string and the path becomes numbers and booleans where the schema says so.
        if (readsQuery || body === 'csv') Object.assign(input, coerceStrings(def.input, input));
        else if (params.length > 0) {
          const fromPath: Record<string, unknown> = {};
          for (const p of params) fromPath[p] = input[p];
          Object.assign(input, coerceStrings(def.input, fromPath));
        }
        const result = await invoke(ctx, caller, name, input);
        return reply.status(status).send(result);
      },
    });
  }

  // Seat maps' live updates: a stream, not an operation (see live-route.ts).
  registerLiveRoute(app, o.ctx.store, (req) => authenticate(req, true));

  // Browser mode: the one-time login link and the renderer.
  app.get('/login', async (req, reply) => {
    const code = (req.query as Record<string, unknown>).code;
    const sid = typeof code === 'string' ? sessions.redeem(code) : null;
    if (!sid) return reply.status(401).type('text/plain').send('This sign-in link is not valid or was already used. Ask the server for a new one (marquee serve prints it).');
    reply.header('set-cookie', `${SESSION_COOKIE}=${sid}; HttpOnly; SameSite=Strict; Path=/`);
    return reply.redirect('/', 303);
  });
  app.post(`${API_PREFIX}/login-links`, async (req, reply) => {
    // The link signs the browser in as whoever asked for it (the server token: the admin).
    const caller = await authenticate(req, true);
    return reply.status(201).send({ url: `/login?code=${sessions.newLoginCode(caller.actor?.userId ?? null)}` });
  });

  if (o.rendererDir && existsSync(o.rendererDir)) {
    app.register(fastifyStatic, {
      root: o.rendererDir,
      prefix: '/',
      index: ['index.html'],
      setHeaders: (res) => {
        res.setHeader('content-security-policy', CSP);
        res.setHeader('permissions-policy', PERMISSIONS_POLICY);
      },
    });
  }

  return { app, sessions };
}
