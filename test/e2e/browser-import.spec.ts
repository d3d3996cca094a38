import { expect, shot, signedInPage, test } from './support/fixtures.js';

// A seller's own export: semicolons, its own column names (three of them need mapping), two bad rows,
// and enough rows that the import runs for a few seconds and shows its progress.
const ROWS = 120_000;
function sellerFile(rows = ROWS): Buffer {
  const lines = ['Event No;Where;How many;Cost;Row'];
  for (let i = 0; i < rows; i++) lines.push(`${[107, 162, 164][i % 3]};S${i % 40};${1 + (i % 3)};${20 + (i % 50)},50;${i % 20}`);
  lines.splice(3, 0, '999;A;1;10,00;1', '107;A;0;10,00;1');
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

test('import a seller file: preview, column mapping, check, progress bar and report', async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const page = await signedInPage(browser);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto('/#/import');
  await expect(page.getByRole('heading', { level: 1, name: 'Import listings' })).toBeVisible();

  await page.locator('#import-file').setInputFiles({ name: 'seller-upload.csv', mimeType: 'text/csv', buffer: sellerFile() });
  await expect(page.getByTestId('preview-meta')).toContainText('Separated by semicolon');
  const preview = page.getByTestId('preview-table');
  await expect(preview.getByRole('columnheader', { name: 'How many' })).toBeVisible();
  await expect(preview.getByRole('row')).toHaveCount(9); // header + the first 8 rows, as parsed

  // The mapping step: Event No and Row were recognised, the other three are picked by hand.
  await expect(page.getByLabel('Event id', { exact: true })).toHaveValue('Event No');
  await expect(page.getByLabel('Row', { exact: true })).toHaveValue('Row');
  await expect(page.getByRole('button', { name: 'Check the whole file' })).toBeDisabled();
  await page.getByLabel('Section', { exact: true }).selectOption('Where');
  await page.getByLabel('Quantity', { exact: true }).selectOption('How many');
  await page.getByLabel('Price', { exact: true }).selectOption('Cost');
  await shot(page, testInfo, 'import-01-mapping');

  await page.getByRole('button', { name: 'Check the whole file' }).click();
  const summary = page.getByTestId('validation-summary');
  await expect(summary).toContainText(`${ROWS + 2} rows read: ${ROWS} good`, { timeout: 60_000 });
  await expect(summary).toContainText('2 with problems');
  const bad = page.getByTestId('bad-rows');
  await expect(bad.getByRole('row', { name: /^4 event 999 does not exist$/ })).toBeVisible();
  await expect(bad.getByRole('row', { name: /^5 quantity "0" is not a positive whole number$/ })).toBeVisible();
  await shot(page, testInfo, 'import-02-check');

  await page.getByRole('button', { name: `Import ${ROWS} rows` }).click();
  const progress = page.getByTestId('import-progress');
  await expect(progress).toBeVisible();
  await expect(progress.getByRole('progressbar', { name: 'Import progress' })).toBeVisible();
  await expect.poll(async () => progress.locator('progress').evaluate((el) => (el as HTMLProgressElement).value), { timeout: 60_000 }).toBeGreaterThan(0);
  await expect(progress.getByRole('status')).toContainText('rows/s');
  await shot(page, testInfo, 'import-03-progress');

  const result = page.getByTestId('import-result');
  await expect(result).toContainText(`imported ${ROWS} of ${ROWS + 2} rows`, { timeout: 120_000 });
  await expect(result).toContainText('2 rejected');
  await expect(progress).toBeHidden();
  await expect(page.getByTestId('batches').getByRole('row', { name: /seller-upload\.csv/ }).first()).toContainText('completed');
  await shot(page, testInfo, 'import-04-result');

  await result.getByRole('link', { name: /^Event 107: 40000 listings/ }).click();
  await expect(page).toHaveURL(/#\/events\/107/);
  expect(problems).toEqual([]);
});

test('cancel a running import from its progress bar: nothing is imported', async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await signedInPage(browser);
  await page.goto('/#/import');
  // A different file (more rows) than the first test, so it is not refused as a re-import.
  await page.locator('#import-file').setInputFiles({ name: 'cancel-me.csv', mimeType: 'text/csv', buffer: sellerFile(ROWS * 2) });
  await page.getByLabel('Section', { exact: true }).selectOption('Where');
  await page.getByLabel('Quantity', { exact: true }).selectOption('How many');
  await page.getByLabel('Price', { exact: true }).selectOption('Cost');
  await page.getByRole('button', { name: 'Check the whole file' }).click();
  await page.getByRole('button', { name: `Import ${ROWS * 2} rows` }).click({ timeout: 60_000 });
  const progress = page.getByTestId('import-progress');
  await progress.getByRole('button', { name: 'Cancel' }).click({ timeout: 60_000 });
  const result = page.getByTestId('import-result');
  await expect(result).toContainText('nothing was imported', { timeout: 120_000 });
  await expect(page.getByTestId('batches').getByRole('row', { name: /cancel-me\.csv/ }).first()).toContainText('cancelled');
});
