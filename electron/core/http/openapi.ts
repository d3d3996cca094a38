import { z } from 'zod';
import { ERROR_STATUS } from '../../../shared/errors.js';
import { operations, type OperationName } from '../../../shared/operations/index.js';
import { objectShape } from './coerce.js';

export const API_PREFIX = '/api/v1';

export const pathParams = (path: string) => [...path.matchAll(/:([a-zA-Z]+)/g)].map((m) => m[1]!);
const toOpenApiPath = (path: string) => API_PREFIX + path.replace(/:([a-zA-Z]+)/g, '{$1}');

function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  const js = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete js.$schema;
  return js;
}

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: Object.keys(ERROR_STATUS) },
        message: { type: 'string' },
        details: {},
      },
    },
  },
};

/** OpenAPI 3.1, derived from the operations table; nothing here is written by hand per route. */
export function buildOpenApi(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, def] of Object.entries(operations) as [OperationName, (typeof operations)[OperationName]][]) {
    const { method, path, status = 200, body = 'json', headers = {} } = def.http;
    const params = pathParams(path);
    const headerFields = new Map(Object.entries(headers).map(([h, f]) => [f, h]));
    const inputJs = jsonSchema(def.input, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    const props = inputJs.properties ?? {};
    const required = new Set(inputJs.required ?? []);
    const parameters: unknown[] = [];
    for (const p of params) parameters.push({ name: p, in: 'path', required: true, schema: props[p] ?? { type: 'string' } });
    for (const [field, header] of headerFields) {
      parameters.push({ name: header.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase()), in: 'header', required: false, schema: props[field] });
    }
    const streamField = def.http.stream?.field;
    const rest = Object.keys(objectShape(def.input)).filter((k) => !params.includes(k) && !headerFields.has(k) && k !== streamField);
    const queryOnly = method === 'GET' || method === 'DELETE';
    let requestBody: unknown;
    if (queryOnly || body === 'csv') {
      for (const k of rest) {
        if (body === 'csv' && k === 'csv') continue;
        parameters.push({ name: k, in: 'query', required: required.has(k) && !Object.hasOwn((props[k] ?? {}) as object, 'default'), schema: props[k] });
      }
      if (body === 'csv') requestBody = { required: true, content: { 'text/csv': { schema: { type: 'string' } } } };
    } else if (rest.length > 0) {
      const bodyProps = Object.fromEntries(rest.map((k) => [k, props[k]]));
      const bodySchema = { ...inputJs, properties: bodyProps, required: [...required].filter((k) => rest.includes(k)) };
      requestBody = { required: bodySchema.required.length > 0, content: { 'application/json': { schema: bodySchema } } };
      if (def.http.stream) (requestBody as { content: Record<string, unknown> }).content[def.http.stream.contentType] = { schema: { type: 'string', description: 'streamed, one JSON value per line' } };
    }
    const errorStatuses = [...new Set(Object.values(ERROR_STATUS))].filter((s) => s !== 500 && (def.permission !== 'public' || s < 401 || s > 403));
    const responses: Record<string, unknown> = {
      [String(status)]: { description: 'Success', content: { 'application/json': { schema: jsonSchema(def.output, 'output') } } },
    };
    for (const s of errorStatuses) responses[String(s)] = { $ref: '#/components/responses/Error' };
    paths[toOpenApiPath(path)] ??= {};
    paths[toOpenApiPath(path)]![method.toLowerCase()] = {
      operationId: name,
      summary: def.summary,
      tags: def.tags,
      'x-permission': def.permission,
      ...(def.permission === 'public' ? { security: [] } : {}),
      parameters,
      ...(requestBody ? { requestBody } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Marquee box office API',
      version,
      description: 'Local HTTP API of Marquee. Money is integer cents (priceCents) beside a decimal string (price). Errors are {"error":{"code","message","details"}}.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'MARQUEE_API_TOKEN or the token printed at start' } },
      schemas: { Error: errorSchema },
      responses: { Error: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
    },
    paths,
  };
}
