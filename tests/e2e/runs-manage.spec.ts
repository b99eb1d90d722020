import fs from 'node:fs';
import { expect, openSample, test, trainFromPage } from './serve-fixture.ts';

test('a new user sees a time estimate, trains, goes on to Export, names the run and deletes it with its folder', async ({
  page,
  studio,
}) => {
  test.setTimeout(480_000);
  await openSample(page, studio);
  await page.getByTestId('nav-train').click();
  // No run yet: the core times a short epoch and the page turns it into minutes.
  await expect(page.getByTestId('train-estimate')).toHaveText(
    /^About .* for \d+ epochs at most; early stopping may end it sooner \(a speed test of \S+ here: .* images\/s on .*\)\.$/,
    { timeout: 120_000 },
  );
  await trainFromPage(page, 1);
  await page.getByTestId('next-export').click();
  await expect(page.getByTestId('run-detail')).toBeVisible();
  const selected = page.locator('[data-testid="run-row"][aria-selected="true"]');
  const runId = Number(await selected.getAttribute('data-run-id'));
  expect(runId).toBeGreaterThan(0);

  // A relative export path would land in the server's working folder: refused in words.
  await page.getByTestId('export-format').selectOption('onnx');
  await page.getByTestId('export-out').fill('run1.onnx');
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-error')).toContainText('"run1.onnx" is not a full path.');
  await expect(page.getByTestId('export-error')).not.toContainText('bad-request');

  await page.getByTestId('run-name').fill('first try');
  await page.getByTestId('run-notes').fill('one epoch on the sample');
  await page.getByTestId('run-save').click();
  await expect(page.getByTestId('run-saved')).toBeVisible();
  await expect(page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`)).toContainText(
    'first try',
  );

  const runFolders = () =>
    fs
      .readdirSync(studio.dataDir, { recursive: true, encoding: 'utf8' })
      .filter((p) => p.endsWith(`run-${runId}`));
  expect(runFolders()).toHaveLength(1);
  await page.getByTestId('run-delete').click();
  await expect(page.getByTestId('run-delete-confirm')).toContainText('cannot be undone');
  await page.getByTestId('run-delete-yes').click();
  await expect(page.getByTestId('run-detail')).toBeHidden();
  await expect(page.getByTestId('run-row')).toHaveCount(0);
  expect(runFolders()).toEqual([]);
});
