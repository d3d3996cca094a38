import { z } from 'zod';
import {
  CheckIn,
  CheckInCounts,
  CheckInCountsQuery,
  CheckInInput,
  CheckInListQuery,
  CheckInResult,
  DoorEvent,
  TicketCodes,
  TicketPdfInput,
  TicketPdfResult,
  TicketPrint,
  TicketPrintInput,
  UndoCheckInInput,
} from '../schemas/door.js';
import { op } from './define.js';

/**
 * At the door (issue 13): signed ticket codes and check-in. A refusal (already in, wrong event,
 * refunded, …) is an answer, not an error: the door screen shows it in red.
 */
export const doorOps = {
  checkIn: op({
    summary: 'Scan a ticket code at a door: admit once, or say why not',
    input: CheckInInput,
    output: CheckInResult,
    http: { method: 'POST', path: '/check-ins' },
    permission: 'door',
    mutates: true,
    tags: ['door'],
  }),
  undoCheckIn: op({
    summary: 'Undo a check-in (scanned by mistake); the ticket can be scanned again',
    input: UndoCheckInInput,
    output: CheckIn,
    http: { method: 'POST', path: '/check-ins/:id/undo' },
    permission: 'manage-events',
    mutates: true,
    tags: ['door'],
  }),
  listCheckIns: op({
    summary: "An event's check-ins, newest first, paged",
    input: CheckInListQuery,
    output: z.object({ items: z.array(CheckIn), nextBefore: z.number().int().nullable() }),
    http: { method: 'GET', path: '/events/:id/check-ins' },
    permission: 'door',
    mutates: false,
    tags: ['door'],
  }),
  checkInCounts: op({
    summary: 'Checked in against sold for an event, with arrivals over time',
    input: CheckInCountsQuery,
    output: CheckInCounts,
    http: { method: 'GET', path: '/events/:id/check-in-counts' },
    permission: 'door',
    mutates: false,
    tags: ['door'],
  }),
  listDoorEvents: op({
    summary: 'Events a door can admit to: from yesterday on, soonest first',
    input: z.strictObject({}),
    output: z.object({ items: z.array(DoorEvent) }),
    http: { method: 'GET', path: '/door/events' },
    permission: 'door',
    mutates: false,
    tags: ['door'],
  }),
  getTicketCodes: op({
    summary: "The signed codes of an order's live tickets (for printing or sending to the buyer)",
    input: z.strictObject({ code: z.string().trim().min(1).max(40).describe('the order code') }),
    output: TicketCodes,
    http: { method: 'GET', path: '/orders/:code/ticket-codes' },
    permission: 'orders',
    mutates: false,
    tags: ['door'],
  }),
  recordTicketPrint: op({
    summary: "Log a print of an order's tickets; answers how many prints came before (a reprint)",
    input: TicketPrintInput,
    output: TicketPrint,
    http: { method: 'POST', path: '/orders/:code/ticket-prints', status: 201 },
    permission: 'sell',
    mutates: true,
    tags: ['door'],
  }),
  saveTicketsPdf: op({
    summary: "Save the printable tickets shown in this window as a PDF (desktop app only)",
    input: TicketPdfInput,
    output: TicketPdfResult,
    http: { method: 'POST', path: '/orders/:code/tickets-pdf' },
    // A PDF is a print: the same permission as recordTicketPrint, which the page calls first.
    permission: 'sell',
    mutates: false,
    tags: ['door'],
  }),
};
