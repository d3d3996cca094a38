import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../../shared/errors.js';
import type { Caller } from '../services/dispatch.js';
import type { Store } from '../store/contract/store.js';
import { API_PREFIX } from './openapi.js';

const KEEPALIVE_MS = 15_000;

/**
 * GET /api/v1/events/:id/live: Server-Sent Events of the event's committed seat changes (holds,
 * releases, sales, expiries, cancellations), for seat maps in browser mode. It is the one route that
 * is not an operation of the table: an operation answers once, this stream stays open. It is
 * authenticated like the operations (Bearer token or session cookie) and needs the 'read' permission.
 */
export function registerLiveRoute(app: FastifyInstance, store: Store, authenticate: (req: FastifyRequest) => Promise<Caller>): void {
  const open = new Set<() => void>();
  // Open streams would keep app.close() waiting forever.
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get(`${API_PREFIX}/events/:id/live`, async (req, reply) => {
    const caller = await authenticate(req);
    if (caller.permissions !== 'all' && !caller.permissions.has('read')) {
      throw new AppError('FORBIDDEN', 'This account may not follow seat changes', { permission: 'read' });
    }
    const id = Number((req.params as { id: string }).id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('VALIDATION_FAILED', 'id must be a positive integer', { field: 'id' });
    if (!(await store.reader.selectFrom('events').select('id').where('id', '=', id).executeTakeFirst())) throw new AppError('NOT_FOUND', `event ${id} does not exist`, { id });

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 1000\nevent: ready\ndata: {"eventId":${id}}\n\n`);
    let seq = 0;
    const unsubscribe = store.feed.subscribe((change) => {
      res.write(`id: ${++seq}\nevent: seats\ndata: ${JSON.stringify(change)}\n\n`);
    }, id);
    // A shared store's notification link came back: changes may have been missed, the map reads itself again.
    const unsubscribeResync = store.feed.onResync(() => res.write(`event: resync\ndata: {"eventId":${id}}\n\n`));
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    const end = () => {
      if (!open.delete(end)) return;
      clearInterval(keepalive);
      unsubscribe();
      unsubscribeResync();
      res.end();
    };
    open.add(end);
    req.raw.on('close', end);
  });
}
