import { operationNames, operations, type MarqueeClient, type OperationName } from '../../../shared/operations/index.js';
import { ClientError } from './client-error.js';

export const API_PREFIX = '/api/v1';

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

function queryString(values: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const item of v) q.append(k, String(item));
    else q.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** How one operation's input becomes a request, read straight off the operations table. */
export function buildRequest(name: OperationName, input: Record<string, unknown>, base = ''): HttpRequest {
  const { method, path, body = 'json', headers: headerMap = {} } = operations[name].http;
  const rest: Record<string, unknown> = { ...input };
  const headers: Record<string, string> = { accept: 'application/json' };

  const filledPath = path.replace(/:([A-Za-z_]\w*)/g, (_m, param: string) => {
    const v = rest[param];
    if (v === undefined || v === null || v === '') throw new ClientError('VALIDATION_FAILED', `${param} is required`, { field: param });
    delete rest[param];
    return encodeURIComponent(String(v));
  });
  for (const [header, field] of Object.entries(headerMap)) {
    const v = rest[field];
    delete rest[field];
    if (v !== undefined && v !== null) headers[header] = String(v);
  }

  const url = base + API_PREFIX + filledPath;
  if (method === 'GET' || method === 'DELETE') return { method, url: url + queryString(rest), headers };
  if (body === 'csv') {
    const { csv, ...others } = rest;
    return { method, url: url + queryString(others), headers: { ...headers, 'content-type': 'text/csv' }, body: typeof csv === 'string' ? csv : '' };
  }
  return { method, url, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(rest) };
}

async function send(req: HttpRequest, fetchImpl: typeof fetch): Promise<unknown> {
  let res: Response;
  try {
    // The session is an HttpOnly cookie set by the one-time /login link; page code never holds the token.
    res = await fetchImpl(req.url, { method: req.method, headers: req.headers, body: req.body, credentials: 'same-origin' });
  } catch (e) {
    throw new ClientError('NETWORK', `The box office server did not answer (${(e as Error).message})`);
  }
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      if (res.ok) throw new ClientError('BAD_RESPONSE', 'The server sent something that is not JSON', { status: res.status }, res.status);
    }
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    if (err && typeof err.code === 'string') throw new ClientError(err.code as ClientError['code'], err.message ?? err.code, err.details, res.status);
    throw new ClientError(res.status === 401 ? 'UNAUTHORIZED' : 'INTERNAL', text.slice(0, 200) || `HTTP ${res.status}`, undefined, res.status);
  }
  return data;
}

/** Browser mode: every method derived from the operations table, so no second signature exists. */
export function createHttpClient(opts: { base?: string; fetch?: typeof fetch } = {}): MarqueeClient {
  const fetchImpl = opts.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const client = {} as Record<OperationName, (input: unknown) => Promise<unknown>>;
  for (const name of operationNames) {
    client[name] = (input) => send(buildRequest(name, (input ?? {}) as Record<string, unknown>, opts.base), fetchImpl);
  }
  return client as unknown as MarqueeClient;
}
