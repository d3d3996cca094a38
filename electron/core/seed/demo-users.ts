import { nowIso } from '../../../shared/time.js';
import { hashSecret } from '../auth/passwords.js';
import type { Store } from '../store/contract/store.js';
import * as usersRepo from '../store/common/users-repo.js';

export interface DemoUser {
  username: string;
  role: string;
  /** How to sign in, for the demo's printout (demo data only: never real credentials). */
  credential: string;
}

const DEMO = [
  { username: 'olivia', displayName: 'Olivia Organizer', role: 'organizer', password: 'organizer-demo', pin: null, sellerId: null },
  { username: 'carl', displayName: 'Carl Clerk', role: 'clerk', password: 'clerk-demo-pass', pin: '2468', sellerId: null },
  { username: 'sam', displayName: 'Sam Seller', role: 'seller', password: 'seller-demo-pass', pin: null, sellerId: 2 },
] as const;

/**
 * One demo account per role besides the first-run admin: an organizer who owns the demo events, a
 * clerk with a kiosk PIN, and a seller linked to a demo seller. Only ever put into demo data.
 */
export async function seedDemoUsers(store: Store): Promise<DemoUser[]> {
  const hashed = await Promise.all(
    DEMO.map(async (u) => ({ ...u, password_hash: await hashSecret(u.password), pin_hash: u.pin ? await hashSecret(u.pin) : null })),
  );
  return store.write(async (trx) => {
    const out: DemoUser[] = [];
    const now = nowIso();
    for (const u of hashed) {
      if (await usersRepo.findUserByUsername(trx, u.username)) continue;
      const sellerId = u.sellerId !== null && (await trx.selectFrom('sellers').select('id').where('id', '=', u.sellerId).executeTakeFirst()) ? u.sellerId : null;
      if (u.role === 'seller' && sellerId === null) continue;
      const row = await usersRepo.insertUser(trx, {
        username: u.username,
        display_name: u.displayName,
        role: u.role,
        active: 1,
        password_hash: u.password_hash,
        pin_hash: u.pin_hash,
        seller_id: sellerId,
        created_at: now,
        updated_at: now,
      });
      if (u.role === 'organizer') await trx.updateTable('events').set({ owner_user_id: row.id }).where('owner_user_id', 'is', null).execute();
      out.push({ username: u.username, role: u.role, credential: u.pin ? `password ${u.password} or PIN ${u.pin}` : `password ${u.password}` });
    }
    return out;
  });
}
