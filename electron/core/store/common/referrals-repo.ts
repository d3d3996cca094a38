import type { Trx } from '../contract/store.js';

/** Any slug is a referral source; the first use registers it. */
export async function ensureReferralSource(trx: Trx, slug: string, now: string) {
  await trx
    .insertInto('referral_sources')
    .values({ slug, created_at: now })
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
}

export async function recordVisit(trx: Trx, slug: string, eventId: number, now: string) {
  await ensureReferralSource(trx, slug, now);
  await trx.insertInto('referral_visits').values({ referral: slug, event_id: eventId, visited_at: now }).execute();
}
