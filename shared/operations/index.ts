import { z } from 'zod';
import { Id } from '../schemas/common.js';
import { Event, EventInput, EventPatch, EventSearch } from '../schemas/event.js';
import { OrderDetail, OrderInput, OrderListQuery, OrderResult, OrderSummary, SellTicketInput } from '../schemas/order.js';
import {
  BestTicket,
  BestTicketQuery,
  EventListingsQuery,
  EventTicketsQuery,
  ListingCreated,
  ListingInput,
  ListingPage,
  Seller,
  TicketPage,
  TicketSearch,
  TicketWithEventPage,
} from '../schemas/ticket.js';
import { Venue, VenueInput } from '../schemas/venue.js';
import { op } from './define.js';
import { desktopOps } from './desktop-ops.js';
import { fastSellOps } from './fast-sell-ops.js';
import { analyticsOps } from './analytics-ops.js';
import { importOps } from './import-ops.js';
import { authOps } from './auth-ops.js';
import { seatingOps } from './seating-ops.js';
import { doorOps } from './door-ops.js';
import { storeOps, StoreHealthInfo } from './store-ops.js';

const Empty = z.strictObject({});
const ById = z.strictObject({ id: Id });

/**
 * The single source of truth for every operation: IPC handlers, the preload client,
 * HTTP routes and the OpenAPI document are all derived from this table.
 */
export const operations = {
  health: op({
    summary: 'Liveness, version, and whether the store (embedded or shared database) can be reached',
    input: Empty,
    output: z.object({ ok: z.literal(true), version: z.string(), store: StoreHealthInfo }),
    http: { method: 'GET', path: '/health' },
    permission: 'public',
    mutates: false,
    tags: ['system'],
  }),
  createVenue: op({
    summary: 'Create a venue',
    input: VenueInput,
    output: Venue,
    http: { method: 'POST', path: '/venues', status: 201 },
    permission: 'manage-events',
    mutates: true,
    tags: ['venues'],
  }),
  listVenues: op({
    summary: 'List venues',
    input: Empty,
    output: z.object({ items: z.array(Venue) }),
    http: { method: 'GET', path: '/venues' },
    permission: 'read',
    mutates: false,
    tags: ['venues'],
  }),
  createEvent: op({
    summary: 'Create an event (optionally keeping an external integer id)',
    input: EventInput,
    output: Event,
    http: { method: 'POST', path: '/events', status: 201 },
    permission: 'manage-events',
    mutates: true,
    tags: ['events'],
  }),
  searchEvents: op({
    summary: 'Search events by text, city and date range',
    input: EventSearch,
    output: z.object({ items: z.array(Event) }),
    http: { method: 'GET', path: '/events' },
    permission: 'read',
    mutates: false,
    tags: ['events'],
  }),
  getEvent: op({
    summary: 'One event with its venue and availability',
    input: ById,
    output: Event,
    http: { method: 'GET', path: '/events/:id' },
    permission: 'read',
    mutates: false,
    tags: ['events'],
  }),
  updateEvent: op({
    summary: 'Change an event (name, time, status, capacity, …)',
    input: EventPatch,
    output: Event,
    http: { method: 'PATCH', path: '/events/:id' },
    permission: 'manage-events',
    mutates: true,
    tags: ['events'],
  }),
  listEventTickets: op({
    summary: 'Available tickets of an event, filtered and paged; ref records a referred visit',
    input: EventTicketsQuery,
    output: TicketPage,
    http: { method: 'GET', path: '/events/:id/tickets' },
    permission: 'read',
    mutates: false,
    tags: ['tickets'],
  }),
  listEventListings: op({
    summary: 'Available tickets of an event grouped by listing (section, row, price, seller, how many left), filtered and paged',
    input: EventListingsQuery,
    output: ListingPage,
    http: { method: 'GET', path: '/events/:id/listings' },
    permission: 'read',
    mutates: false,
    tags: ['tickets'],
  }),
  bestTicket: op({
    summary: 'The best available ticket(s) of an event for a strategy and quantity',
    input: BestTicketQuery,
    output: BestTicket,
    http: { method: 'GET', path: '/events/:id/tickets/best' },
    permission: 'read',
    mutates: false,
    tags: ['tickets'],
  }),
  searchTickets: op({
    summary: 'Available tickets across events in a city and date range, with a total and cursor paging',
    input: TicketSearch,
    output: TicketWithEventPage,
    http: { method: 'GET', path: '/tickets' },
    permission: 'read',
    mutates: false,
    tags: ['tickets'],
  }),
  postListing: op({
    summary: 'A seller posts a listing; one ticket per seat or unit',
    input: ListingInput,
    output: ListingCreated,
    http: { method: 'POST', path: '/tickets', status: 201 },
    permission: 'list',
    mutates: true,
    tags: ['tickets'],
  }),
  sellTicket: op({
    summary: 'Mark one ticket sold (creates an order)',
    input: SellTicketInput,
    output: OrderResult,
    http: { method: 'PUT', path: '/tickets/:id/sold' },
    permission: 'sell',
    mutates: true,
    tags: ['orders'],
  }),
  createOrder: op({
    summary: 'Sell several tickets in one order, all or nothing',
    input: OrderInput,
    output: OrderResult,
    http: { method: 'POST', path: '/orders', status: 201, headers: { 'idempotency-key': 'idempotencyKey' } },
    permission: 'sell',
    mutates: true,
    tags: ['orders'],
  }),
  listOrders: op({
    summary: 'Recent orders, or those matching a code, customer name or email',
    input: OrderListQuery,
    output: z.object({ items: z.array(OrderSummary) }),
    http: { method: 'GET', path: '/orders' },
    permission: 'orders',
    mutates: false,
    tags: ['orders'],
  }),
  getOrder: op({
    summary: 'One order by its code, with lines and payments',
    input: z.strictObject({ code: z.string().trim().min(1).max(40) }),
    output: OrderDetail,
    http: { method: 'GET', path: '/orders/:code' },
    permission: 'orders',
    mutates: false,
    tags: ['orders'],
  }),
  listSellers: op({
    summary: 'Sellers',
    input: Empty,
    output: z.object({ items: z.array(Seller) }),
    http: { method: 'GET', path: '/sellers' },
    permission: 'read',
    mutates: false,
    tags: ['tickets'],
  }),
  ...desktopOps,
  ...fastSellOps,
  ...analyticsOps,
  ...importOps,
  ...authOps,
  ...seatingOps,
  ...doorOps,
  ...storeOps,
};

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type OpInput<K extends OperationName> = z.input<Operations[K]['input']>;
export type OpParsedInput<K extends OperationName> = z.output<Operations[K]['input']>;
export type OpOutput<K extends OperationName> = z.output<Operations[K]['output']>;

export const operationNames = Object.keys(operations) as OperationName[];

/** The typed client every transport implements: window.marquee in Electron, fetch in browser mode. */
export type MarqueeClient = { [K in OperationName]: (input: OpInput<K>) => Promise<OpOutput<K>> };

export const IPC_CHANNEL_PREFIX = 'marquee:';
export const ipcChannel = (name: OperationName) => `${IPC_CHANNEL_PREFIX}${name}`;
