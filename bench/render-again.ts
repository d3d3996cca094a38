/** Renders bench/RESULTS.md again from the last run's figures (bench/tmp/last-results.json), e.g. after a change to report.ts. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderResults, type BenchResults } from './report.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const results = JSON.parse(readFileSync(`${here}tmp/last-results.json`, 'utf8')) as BenchResults;
writeFileSync(`${here}RESULTS.md`, renderResults(results));
process.stderr.write(`rendered ${here}RESULTS.md from the run of ${results.startedAt}\n`);
