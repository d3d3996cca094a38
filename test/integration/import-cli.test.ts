import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));
const sample = fileURLToPath(new URL('sampleTickets.csv', new URL('../../../shared/data/', import.meta.url)));

function capture<S>() {
  let text = '';
  return { stream: { write: (s: string) => ((text += s), true), isTTY: false } as unknown as S, text: () => text };
}

async function cli(args: string[]) {
  const out = capture<typeof process.stdout>();
  const err = capture<typeof process.stderr>();
  const code = await main(args, out.stream, err.stream);
  return { code, out: out.text(), err: err.text() };
}

let data: string;
beforeAll(() => {
  data = mkdtempSync(join(tmpdir(), 'marquee-cli-import-'));
});
afterAll(() => rmSync(data, { recursive: true, force: true }));

describe('marquee import', () => {
  it('streams the brief file into a batch and refuses it the second time', async () => {
    const first = await cli(['import', sample, '--seller', '2', '--data', data]);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^Batch \d+: imported 1533 of 1533 rows, 6341 tickets\.\n/);
    expect(first.out).toContain('  event 107: 955 rows, 3345 tickets\n  event 162: 27 rows, 67 tickets\n  event 164: 551 rows, 2929 tickets\n');
    const second = await cli(['import', sample, '--seller', '2', '--data', data]);
    expect(second.code).toBe(1);
    expect(second.err).toMatch(/already imported for seller 2 \(batch \d+\)/);
  });

  it('prints every rejected line, and --all-or-nothing imports none of them', async () => {
    const dry = await cli(['import', fixture('every-problem.csv'), '--dry-run', '--data', data]);
    expect(dry.code).toBe(1);
    expect(dry.out).toContain('  line 3: event 999 does not exist\n');
    expect(dry.out).toContain('  line 21: quantity 20000 is more than 10000\n');
    expect(dry.out).toContain('Dry run: would import 2 of 19 rows, 3 tickets. 17 rows rejected (listed above).');
    const strict = await cli(['import', fixture('every-problem.csv'), '--all-or-nothing', '--data', data]);
    expect(strict.code).toBe(1);
    expect(strict.out).toContain('17 of 19 rows were rejected, so nothing was imported (all-or-nothing)');
  });

  it('takes a column mapping and a delimiter from the command line', async () => {
    const bad = await cli(['import', fixture('missing-column.csv'), '--dry-run', '--data', data]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('The header lacks price');
    const mapped = await cli(['import', fixture('missing-column.csv'), '--dry-run', '--map', 'price=Cost', '--delimiter', ',', '--data', data]);
    expect(mapped.code).toBe(0);
    expect(mapped.out).toContain('would import 1 of 1 rows, 2 tickets');
    expect((await cli(['import', fixture('missing-column.csv'), '--map', 'cost=Cost', '--data', data])).code).toBe(2);
  });
});
