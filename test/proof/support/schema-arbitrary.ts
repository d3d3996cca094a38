import fc from 'fast-check';
import { z } from 'zod';

/** The slice of JSON Schema that z.toJSONSchema writes for the operation table's inputs. */
interface Js {
  type?: string | string[];
  properties?: Record<string, Js>;
  required?: string[];
  additionalProperties?: boolean | Js;
  propertyNames?: Js;
  items?: Js;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Js[];
  oneOf?: Js[];
  allOf?: Js[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
}

/** Small ids reach the seeded rows (events 1…200, tickets, orders); large ones reach nothing. */
function integerArb(s: Js): fc.Arbitrary<number> {
  const min = s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : (s.minimum ?? -1000);
  const max = s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : (s.maximum ?? Number.MAX_SAFE_INTEGER);
  const lo = Math.max(min, Number.MIN_SAFE_INTEGER);
  const hi = Math.min(max, Number.MAX_SAFE_INTEGER);
  return fc.oneof({ weight: 4, arbitrary: fc.integer({ min: lo, max: Math.min(hi, lo + 300) }) }, { weight: 1, arbitrary: fc.integer({ min: lo, max: hi }) });
}

const isoDate = fc.date({ min: new Date('2018-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true });
const offsets = fc.constantFrom('Z', '+00:00', '-07:00', '+05:30', '-08:00');

function stringArb(s: Js): fc.Arbitrary<string> {
  if (s.format === 'date') return isoDate.map((d) => d.toISOString().slice(0, 10));
  if (s.format === 'date-time') return fc.tuple(isoDate, offsets).map(([d, o]) => d.toISOString().slice(0, 19) + o);
  if (s.format === 'email') return fc.constantFrom('a@example.com', 'ann.lee@example.org', 'x+y@mail.example');
  if (s.pattern) {
    let re: RegExp | null = null;
    try {
      re = new RegExp(s.pattern);
    } catch {
      re = null;
    }
    if (re) {
      const max = s.maxLength;
      const arb = fc.stringMatching(re);
      return max === undefined ? arb : arb.filter((x) => x.length <= max && x.length >= (s.minLength ?? 0));
    }
  }
  return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 40), unit: 'grapheme' });
}

/** Fields whose valid values a refinement decides (not visible in JSON Schema): real ones, so some calls get through. */
const BY_NAME: Record<string, fc.Arbitrary<unknown>> = {
  timezone: fc.constantFrom('UTC', 'America/Los_Angeles', 'Europe/Paris', 'Asia/Kolkata'),
  currency: fc.constantFrom('USD', 'EUR'),
};

function fromJs(s: Js, depth: number): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return fc.oneof(...alts.map((a) => fromJs(a, depth)));
  if (s.allOf?.length) return fromJs(s.allOf[0]!, depth);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object': {
      const props = s.properties ?? {};
      const required = new Set(s.required ?? []);
      const entries: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) entries[k] = BY_NAME[k] ?? fromJs(v, depth + 1);
      if (Object.keys(props).length === 0 && typeof s.additionalProperties === 'object') {
        // A record (prices by zone): a few keys the key schema accepts.
        const key = s.propertyNames ? (stringArb(s.propertyNames) as fc.Arbitrary<string>) : fc.string({ minLength: 1, maxLength: 8 });
        return fc.dictionary(key, fromJs(s.additionalProperties, depth + 1), { maxKeys: 3 });
      }
      return fc.record(entries, { requiredKeys: [...required].filter((k) => k in entries) });
    }
    case 'array':
      return fc.array(s.items && depth < 6 ? fromJs(s.items, depth + 1) : fc.anything(), {
        minLength: s.minItems ?? 0,
        maxLength: Math.min(s.maxItems ?? 5, 5),
      });
    case 'string':
      return stringArb(s);
    case 'integer':
      return integerArb(s);
    case 'number':
      return fc.oneof(integerArb(s), fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true }));
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      // Unrepresentable in JSON Schema (a stream, a transform): anything at all.
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** An arbitrary of inputs shaped like the zod schema wants (not always valid: refinements are not modelled). */
export function arbitraryFor(schema: z.ZodType): fc.Arbitrary<Record<string, unknown>> {
  const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Js;
  const arb = fromJs(js, 0);
  return arb.map((v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {}));
}
