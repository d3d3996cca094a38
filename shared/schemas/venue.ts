import { z } from 'zod';
import { Id, Text } from './common.js';

const TimeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as America/Chicago');

export const VenueInput = z.strictObject({
  name: Text(),
  addressLine1: Text().nullish(),
  addressLine2: Text().nullish(),
  addressLine3: Text().nullish(),
  city: Text(100),
  region: Text(100).nullish().describe('state or province'),
  postalCode: Text(20).nullish(),
  country: Text(100),
  timezone: TimeZone,
});

export const Venue = z.object({
  id: Id,
  name: z.string(),
  addressLine1: z.string().nullable(),
  addressLine2: z.string().nullable(),
  addressLine3: z.string().nullable(),
  city: z.string(),
  region: z.string().nullable(),
  postalCode: z.string().nullable(),
  country: z.string(),
  timezone: z.string(),
});
export type Venue = z.infer<typeof Venue>;
