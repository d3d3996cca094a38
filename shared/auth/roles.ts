import type { Permission } from '../operations/define.js';

export const ROLES = ['admin', 'organizer', 'clerk', 'seller', 'door'] as const;
export type Role = (typeof ROLES)[number];

/**
 * THE mapping of roles to permissions (the dispatcher checks permissions, never roles). Ownership
 * rules on top ("an organizer edits own events", "a seller posts own listings", "a clerk voids own
 * cash sale within the window") are enforced by the handlers, which see the caller as ctx.actor.
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[] | 'all'> = {
  admin: 'all',
  // Runs events (and their venues and reports) and refunds sales of own events; does not work the till.
  organizer: ['account', 'read', 'orders', 'refund', 'manage-events', 'door'],
  // Works the till: sells, looks orders up, voids own cash sales within the window (refunds need an organizer or admin).
  clerk: ['account', 'read', 'sell', 'orders', 'door'],
  // Posts and imports own listings.
  seller: ['account', 'read', 'list', 'import'],
  // Scans tickets in at a door, and nothing else: no sales, no orders, no customer data.
  door: ['account', 'door'],
};

export function roleAllows(role: Role, permission: Permission): boolean {
  if (permission === 'public') return true;
  const granted = ROLE_PERMISSIONS[role];
  return granted === 'all' || granted.includes(permission);
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  organizer: 'Organizer',
  clerk: 'Clerk',
  seller: 'Seller',
  door: 'Door',
};
