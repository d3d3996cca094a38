import type { ForeignKey } from './pg-catalog.js';

/**
 * Parents before children (foreign keys stay checked during the copy, so a child row must find its
 * parent already there). Derived from the schema's own foreign keys, so a new table needs no list;
 * ties go by name, so the order is the same on every run. A cycle cannot be copied in one pass.
 */
export function foreignKeyOrder(tables: Iterable<string>, keys: readonly ForeignKey[]): string[] {
  const names = [...tables].sort();
  const parents = new Map(names.map((n) => [n, new Set<string>()]));
  for (const k of keys) {
    if (k.child !== k.parent && parents.has(k.child) && parents.has(k.parent)) parents.get(k.child)!.add(k.parent);
  }
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < names.length) {
    const next = names.find((n) => !placed.has(n) && [...parents.get(n)!].every((p) => placed.has(p)));
    if (next === undefined) {
      const stuck = names.filter((n) => !placed.has(n));
      throw new Error(`foreign keys form a cycle among ${stuck.join(', ')}; these tables cannot be copied in one pass`);
    }
    order.push(next);
    placed.add(next);
  }
  return order;
}
