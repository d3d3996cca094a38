import { z } from 'zod';

export const Id = z.number().int().positive();
export const Cents = z.number().int().nonnegative();
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'a three-letter ISO currency code such as USD');
/** Free text that must say something; kept exactly as given apart from surrounding blanks. */
export const Text = (max = 200) => z.string().trim().min(1).max(max);
export const Slug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a short slug of letters, digits, dot, dash or underscore');

/** Offset date-time such as 2026-12-01T19:30:00-06:00 (an offset or Z is required). */
export const OffsetDateTime = z.iso.datetime({ offset: true, local: false });
/** A date (whole day in the event's local time) or an offset date-time. */
export const DateOrDateTime = z.union([z.iso.date(), OffsetDateTime]);

export const Limit = z.number().int().min(1).max(500);
