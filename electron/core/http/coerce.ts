import type { z } from 'zod';

type AnyDef = { type: string; innerType?: z.ZodType; in?: z.ZodType; options?: z.ZodType[] };

const kinds = new WeakMap<z.ZodType, string>();

/** The base kind of a field once optional/default/nullable wrappers are peeled off. */
export function baseKind(schema: z.ZodType): string {
  let kind = kinds.get(schema);
  if (kind === undefined) {
    kind = peel(schema);
    kinds.set(schema, kind);
  }
  return kind;
}

function peel(schema: z.ZodType): string {
  let s = schema as unknown as { _zod: { def: AnyDef } };
  for (let i = 0; i < 10; i++) {
    const def = s._zod.def;
    if (def.innerType) s = def.innerType as unknown as typeof s;
    else if (def.type === 'pipe' && def.in) s = def.in as unknown as typeof s;
    else return def.type;
  }
  return 'unknown';
}

export function objectShape(schema: z.ZodType): Record<string, z.ZodType> {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
  return shape ?? {};
}

/**
 * Query strings and path params are text; turn the ones the schema wants as numbers or booleans
 * into those, and leave anything odd as text so validation names the field.
 */
export function coerceStrings(schema: z.ZodType, values: Record<string, unknown>): Record<string, unknown> {
  const shape = objectShape(schema);
  const out: Record<string, unknown> = {};
  // A query key may be any text, `__proto__` and `constructor` included: look only at the shape's own
  // fields, and write keys as own properties (plain assignment of `__proto__` would set the prototype).
  const put = (key: string, value: unknown) => Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  for (const [key, value] of Object.entries(values)) {
    if (Array.isArray(value)) {
      put(key, value);
      continue;
    }
    const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
    const kind = field ? baseKind(field) : 'unknown';
    if (typeof value === 'string' && kind === 'number' && /^-?\d+(\.\d+)?$/.test(value.trim())) put(key, Number(value));
    else if (typeof value === 'string' && kind === 'boolean' && ['true', 'false', '1', '0'].includes(value)) put(key, value === 'true' || value === '1');
    else put(key, value);
  }
  return out;
}
