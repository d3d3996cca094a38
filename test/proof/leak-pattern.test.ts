import { describe, expect, it } from 'vitest';
import { LEAK } from './support/fuzz-config.js';

// The fuzzers judge every response by LEAK: a miss lets a leak through, a false alarm fails a random seed.
describe('the leak pattern of the fuzzers', () => {
  it.each([
    ['a V8 stack frame', 'Error: boom\n    at sellTicket (/work/app/electron/core/services/sell.ts:12:5)'],
    ['an async frame of a node module', 'at async Promise.all (index 0) at async run (file:///app/node_modules/x/index.js:3:1)'],
    ['a stack with its newlines escaped in JSON', JSON.stringify({ message: 'Error: x\n    at <anonymous>' })],
    ['Kysely SQL', 'select "id", "status" from "tickets" where "id" = ?'],
    ['hand-written SQL', 'UPDATE tickets SET status = ? WHERE id = ?'],
    ['a SQLite error', 'SqliteError: SQLITE_CONSTRAINT_UNIQUE'],
    ['a PostgreSQL syntax error', 'syntax error at or near "FROM"'],
    ['a source position', 'in handlers.ts:88'],
  ])('catches %s', (_what, text) => {
    expect(text).toMatch(LEAK);
  });

  it.each([
    ['the best-ticket reason that tripped the old pattern', 'Best seat quality (0.95 of 1): section 104, row 3 at $192.99 each.'],
    ['prose with "select"', 'Select a seat on the map, then press Sell.'],
    ['prose with "at … ("', 'Doors open at seven (local time).'],
    ['a price and a time', 'Lowest price: section 101, row 08 at $45.99 each.'],
  ])('lets %s through', (_what, text) => {
    expect(text).not.toMatch(LEAK);
  });
});
