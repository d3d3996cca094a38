import { describe, expect, it } from 'vitest';
import { SeatColumns, type SeatMapSeat } from '../../shared/schemas/seating.js';
import { seatsFromColumns, seatsToColumns } from '../../shared/seat-columns.js';

const seat = (over: Partial<SeatMapSeat>): SeatMapSeat => ({
  ticketId: 1,
  seatId: 1,
  section: 'Stalls',
  row: 'A',
  seat: '1',
  x: 20,
  y: 20,
  zone: 'standard',
  priceCents: 3000,
  accessible: false,
  obstructed: false,
  aisle: false,
  status: 'available',
  heldByMe: false,
  holdExpiresAt: null,
  ...over,
});

describe('seat map columns', () => {
  const seats: SeatMapSeat[] = [
    seat({}),
    seat({ ticketId: 2, seatId: 2, seat: '2', x: 30.5, aisle: true, status: 'held', heldByMe: true, holdExpiresAt: '2026-11-21T12:05:00.000Z' }),
    seat({ ticketId: 3, seatId: 3, row: '08', seat: '3', zone: 'front', priceCents: 5000, accessible: true, obstructed: true, status: 'held', holdExpiresAt: '2026-11-21T12:06:00.000Z' }),
    seat({ ticketId: 4, seatId: 4, section: 'Circle', seat: '1', status: 'sold' }),
    seat({ ticketId: null, seatId: 5, section: 'Circle', seat: '2', priceCents: null, status: 'unavailable' }),
  ];

  it('round-trip every field of every seat, labels staying text', () => {
    const c = seatsToColumns(seats);
    expect(SeatColumns.safeParse(c).success).toBe(true);
    expect(seatsFromColumns(c)).toEqual(seats);
    expect(c.row[2]).toBe('08');
  });

  it('name sections, zones and statuses once and list only the held seats', () => {
    const c = seatsToColumns(seats);
    expect(c.count).toBe(5);
    expect(c.sections).toEqual(['Stalls', 'Circle']);
    expect(c.section).toEqual([0, 0, 0, 1, 1]);
    expect(c.zones).toEqual(['standard', 'front']);
    expect(c.flags).toEqual([0, 4, 3, 0, 0]);
    expect(c.holds).toEqual([
      { i: 1, mine: true, expiresAt: '2026-11-21T12:05:00.000Z' },
      { i: 2, mine: false, expiresAt: '2026-11-21T12:06:00.000Z' },
    ]);
    for (const key of ['ticketId', 'seatId', 'section', 'row', 'seat', 'x', 'y', 'zone', 'priceCents', 'flags', 'status'] as const) expect(c[key]).toHaveLength(5);
  });

  it('encode no seats as empty columns', () => {
    const c = seatsToColumns([]);
    expect(c.count).toBe(0);
    expect(seatsFromColumns(c)).toEqual([]);
  });
});
