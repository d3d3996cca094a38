import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { COUNTED_FINANCIAL_STATUSES, PartnerOrderEvent, type PartnerAddress } from '../../../shared/schemas/analytics.js';
import type { NewPartnerOrder, PartnerAddressRow } from '../store/common/partner-orders-repo.js';
import { findBadText } from '../../../shared/schemas/text-guard.js';

export interface EventError {
  path: string;
  message: string;
}

export type Normalised = { ok: true; order: NewPartnerOrder } | { ok: false; eventId: string | null; errors: EventError[] };

type Address = z.output<typeof PartnerAddress>;

function address(a: Address | null | undefined): PartnerAddressRow | null {
  if (!a) return null;
  const row: PartnerAddressRow = {
    first_name: a.first_name,
    last_name: a.last_name,
    company: a.company,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    region: a.province ?? a.province_code,
    region_code: a.province_code,
    postal_code: a.zip,
    country: a.country ?? a.country_code,
    country_code: a.country_code,
    phone: a.phone,
  };
  return Object.values(row).some((v) => v !== null) ? row : null;
}

const joinName = (first: string | null | undefined, last: string | null | undefined) => [first, last].filter(Boolean).join(' ') || null;

/** A best-effort event_id for the error report of an event that failed validation. */
function eventIdOf(value: unknown): string | null {
  const id = typeof value === 'object' && value !== null ? (value as { event_id?: unknown }).event_id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id).slice(0, 200) : null;
}

/**
 * Validates one decoded event and maps it onto a partner order. `raw` is the event text as
 * received (NDJSON line) or as re-serialised from the JSON body.
 */
export function normaliseEvent(value: unknown, raw: string, channel: string, receivedAt: string): Normalised {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, eventId: null, errors: [{ path: '', message: 'an event must be a JSON object' }] };
  }
  const parsed = PartnerOrderEvent.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      eventId: eventIdOf(value),
      errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    };
  }
  const bad = findBadText(parsed.data);
  if (bad) return { ok: false, eventId: eventIdOf(value), errors: [{ path: bad.path, message: bad.message }] };
  const e = parsed.data;
  const billing = address(e.billing_address);
  const shipping = address(e.shipping_address);
  const home = e.billing_address ?? e.shipping_address;
  const name = joinName(e.first_name, e.last_name) ?? joinName(home?.first_name, home?.last_name);
  const email = e.email ?? null;
  const phone = e.phone ?? home?.phone ?? null;
  const customer =
    email || name || phone
      ? {
          name,
          email,
          phone,
          address_line1: home?.address1 ?? null,
          address_line2: home?.address2 ?? null,
          city: home?.city ?? null,
          region: home?.province ?? home?.province_code ?? null,
          postal_code: home?.zip ?? null,
          country: home?.country ?? home?.country_code ?? null,
        }
      : null;
  const occurredAt = e.created_at ? new Date(Date.parse(e.created_at)).toISOString() : receivedAt;
  return {
    ok: true,
    order: {
      eventId: e.event_id,
      channel,
      customer,
      financialStatus: e.financial_status,
      counted: COUNTED_FINANCIAL_STATUSES.includes(e.financial_status),
      currency: e.currency,
      totalCents: e.order_value,
      discountCents: e.total_discounts ?? 0,
      taxCents: e.total_tax ?? 0,
      billing,
      shipping,
      referral: (e.referral ?? e.source_name)?.toLowerCase() ?? null,
      tender: e.gateway?.toLowerCase() ?? null,
      clerk: e.clerk,
      occurredAt,
      timeSource: e.created_at ? 'event' : 'received',
      receivedAt,
      items: e.line_items.map((li) => ({
        productId: li.id,
        title: li.title,
        quantity: li.quantity,
        priceCents: li.price ?? null,
        eventId: li.marquee_event_id ?? null,
      })),
      raw,
      sha256: createHash('sha256').update(raw).digest('hex'),
    },
  };
}
