import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { parseMoneyToCents } from '../../../shared/money.js';
import type { OpInput, OpOutput } from '../../../shared/operations/index.js';
import { useOp, useOpMutation } from '../client/index.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Button, SelectField } from '../components/ui.js';
import { eventDate, money } from '../format.js';
import { href } from '../router.js';

const seatList = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** What the clerk types (all text); turned into the operation's ListingInput on submit. */
export const ListingForm = z
  .object({
    eventId: z.string().regex(/^\d+$/, 'Choose an event'),
    sellerId: z.string(),
    newSellerName: z.string().trim().max(100),
    newSellerEmail: z.union([z.literal(''), z.email('That email address does not look right')]),
    section: z.string().trim().min(1, 'Section is required').max(40),
    row: z.string().trim().min(1, 'Row is required').max(20),
    seats: z.string().trim().max(2000),
    quantity: z.string().trim(),
    price: z.string().refine((s) => parseMoneyToCents(s) !== null, 'Write a price such as 45 or 45.50'),
  })
  .superRefine((v, ctx) => {
    if (v.sellerId === 'new' && !v.newSellerName.trim()) ctx.addIssue({ code: 'custom', path: ['newSellerName'], message: 'Name the new seller' });
    if (v.sellerId !== 'new' && !/^\d+$/.test(v.sellerId)) ctx.addIssue({ code: 'custom', path: ['sellerId'], message: 'Pick a seller' });
    const seats = seatList(v.seats);
    if (seats.some((s) => s.length > 10)) ctx.addIssue({ code: 'custom', path: ['seats'], message: 'Seat labels are at most 10 characters' });
    if (new Set(seats).size !== seats.length) ctx.addIssue({ code: 'custom', path: ['seats'], message: 'A seat appears twice' });
    if (seats.length > 200) ctx.addIssue({ code: 'custom', path: ['seats'], message: 'At most 200 seats per listing' });
    const q = v.quantity === '' ? null : Number(v.quantity);
    if (seats.length === 0 && q === null) ctx.addIssue({ code: 'custom', path: ['quantity'], message: 'Give a quantity or the seat numbers' });
    if (q !== null && (!Number.isInteger(q) || q < 1 || q > 10000)) ctx.addIssue({ code: 'custom', path: ['quantity'], message: 'A whole number from 1 to 10000' });
    if (q !== null && seats.length > 0 && q !== seats.length) ctx.addIssue({ code: 'custom', path: ['quantity'], message: `You listed ${seats.length} seats` });
  });
export type ListingFormValues = z.infer<typeof ListingForm>;

export function toListingInput(v: ListingFormValues): OpInput<'postListing'> {
  const seats = seatList(v.seats);
  return {
    eventId: Number(v.eventId),
    ...(v.sellerId === 'new'
      ? { seller: { name: v.newSellerName.trim(), ...(v.newSellerEmail ? { email: v.newSellerEmail } : {}) } }
      : { sellerId: Number(v.sellerId) }),
    section: v.section.trim(),
    row: v.row.trim(),
    ...(seats.length > 0 ? { seats } : { quantity: Number(v.quantity) }),
    priceCents: parseMoneyToCents(v.price)!,
  };
}

const EMPTY: ListingFormValues = { eventId: '', sellerId: '1', newSellerName: '', newSellerEmail: '', section: '', row: '', seats: '', quantity: '', price: '' };

function FieldError({ message, id }: { message?: string; id: string }) {
  return message ? (
    <span className="field-error" id={id}>
      {message}
    </span>
  ) : null;
}

export function SellersScreen() {
  const qc = useQueryClient();
  const sellers = useOp('listSellers', {});
  const events = useOp('searchEvents', { limit: 200 });
  const post = useOpMutation('postListing', {
    onSuccess: () => Promise.all(['listSellers', 'listEventTickets', 'listEventListings', 'bestTicket', 'getEvent', 'searchEvents'].map((k) => qc.invalidateQueries({ queryKey: [k] }))),
  });
  const {
    register,
    handleSubmit,
    watch,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<ListingFormValues>({ resolver: zodResolver(ListingForm), defaultValues: EMPTY });
  const sellerId = watch('sellerId');
  const created: OpOutput<'postListing'> | undefined = post.data;

  const onSubmit = handleSubmit(async (values) => {
    try {
      await post.mutateAsync(toListingInput(values));
      reset({ ...EMPTY, eventId: values.eventId, sellerId: values.sellerId === 'new' ? '1' : values.sellerId });
    } catch {
      /* shown by <ErrorNotice error={post.error}> */
    }
  });
  const err = (k: keyof ListingFormValues) => (errors[k] ? { 'aria-invalid': true, 'aria-describedby': `${k}-error` } : {});

  return (
    <section className="screen">
      <div className="screen-head">
        <h1>Sellers</h1>
        <span className="sub">Post a listing for a seller; each seat or unit becomes a ticket.</span>
      </div>
      <div className="sell-layout" style={{ gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)' }}>
        <form className="panel" onSubmit={onSubmit} aria-labelledby="post-title" noValidate style={{ display: 'grid', gap: 12 }}>
          <h2 id="post-title">Post a listing</h2>
          <SelectField label="Event" {...register('eventId')} error={errors.eventId?.message}>
            <option value="">Pick the event…</option>
            {(events.data?.items ?? []).map((e) => (
              <option key={e.id} value={String(e.id)}>
                {e.name} · {e.venue.city} · {eventDate(e.startsAt)}
              </option>
            ))}
          </SelectField>
          <SelectField label="Seller" {...register('sellerId')} error={errors.sellerId?.message}>
            {(sellers.data?.items ?? []).map((s) => (
              <option key={s.id} value={String(s.id)}>
                {s.name}
              </option>
            ))}
            <option value="new">A new seller…</option>
          </SelectField>
          {sellerId === 'new' ? (
            <div className="field-row field-row-top">
              <label className="field">
                <span>New seller&apos;s name</span>
                <input {...register('newSellerName')} {...err('newSellerName')} autoComplete="off" />
                <FieldError id="newSellerName-error" message={errors.newSellerName?.message} />
              </label>
              <label className="field">
                <span>Email (optional)</span>
                <input type="email" {...register('newSellerEmail')} {...err('newSellerEmail')} autoComplete="off" />
                <FieldError id="newSellerEmail-error" message={errors.newSellerEmail?.message} />
              </label>
            </div>
          ) : null}
          <div className="field-row field-row-top">
            <label className="field">
              <span>Section</span>
              <input {...register('section')} {...err('section')} autoComplete="off" />
              <FieldError id="section-error" message={errors.section?.message} />
            </label>
            <label className="field">
              <span>Row</span>
              <input {...register('row')} {...err('row')} autoComplete="off" />
              <FieldError id="row-error" message={errors.row?.message} />
            </label>
          </div>
          <div className="field-row field-row-top">
            <label className="field" style={{ flexGrow: 2 }}>
              <span>Seats (optional)</span>
              <input placeholder="e.g. 1, 2, 3" {...register('seats')} {...err('seats')} autoComplete="off" />
              <FieldError id="seats-error" message={errors.seats?.message} />
            </label>
            <label className="field">
              <span>Quantity</span>
              <input inputMode="numeric" {...register('quantity')} {...err('quantity')} autoComplete="off" />
              <FieldError id="quantity-error" message={errors.quantity?.message} />
            </label>
            <label className="field">
              <span>Price each ($)</span>
              <input inputMode="decimal" {...register('price')} {...err('price')} autoComplete="off" />
              <FieldError id="price-error" message={errors.price?.message} />
            </label>
          </div>
          <ErrorNotice error={post.error} />
          {created && !post.isPending && !post.error ? (
            <div className="notice notice-ok" role="status" data-testid="listing-posted">
              Posted {created.tickets.length} ticket{created.tickets.length === 1 ? '' : 's'} in section {created.listing.section}, row {created.listing.row} at{' '}
              {money(created.listing.priceCents, created.listing.currency)}.{' '}
              <a href={href(`/events/${created.listing.eventId}`, { section: created.listing.section })}>See them in the event&apos;s list</a>
            </div>
          ) : null}
          <Button type="submit" variant="primary" isDisabled={isSubmitting}>
            {isSubmitting ? 'Posting…' : 'Post listing'}
          </Button>
        </form>
        <div className="panel">
          <h2>Sellers</h2>
          <ErrorNotice error={sellers.error} />
          <table className="table" aria-label="Sellers">
            <thead>
              <tr>
                <th className="num">#</th>
                <th>Name</th>
                <th>Email</th>
              </tr>
            </thead>
            <tbody>
              {(sellers.data?.items ?? []).map((s) => (
                <tr key={s.id}>
                  <td className="num">{s.id}</td>
                  <td>{s.name}</td>
                  <td>{s.email ?? <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
