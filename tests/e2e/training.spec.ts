import path from 'node:path';
import type { RunDetail } from '../../app/contract/handlers.ts';
import { ARTIFACTS, expect, openSample, test } from './serve-fixture.ts';

test('click Train on the sample set, watch the curves, stop, resume, see the run on the Runs page', async ({
  page,
  studio,
}) => {
  test.setTimeout(480_000);
  await openSample(page, studio);

  await page.getByTestId('nav-train').click();
  await expect(page.getByTestId('train-page')).toBeVisible();
  await expect(page.getByTestId('backend-badge')).toHaveAttribute(
    'data-backend',
    /wasm|tensorflow|cpu/,
  );
  await expect(page.getByTestId('augment-preview').locator('img').first()).toBeVisible();
  await page.getByTestId('train-epochs').fill('3');
  await page.getByTestId('train-start').click();

  const status = page.getByTestId('train-status');
  await expect(status).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
  // The curves grow: batch points arrive, then the first epoch ends (and is checkpointed).
  const lossChart = page.getByTestId('loss-chart');
  await expect(lossChart).toHaveAttribute('data-batch-points', /^[1-9]/, { timeout: 120_000 });
  await expect(lossChart).toHaveAttribute('data-epoch-points', /^[1-9]/, { timeout: 180_000 });
  await expect(lossChart.locator('path.recharts-curve').first()).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, 'training.png') });

  await page.getByTestId('train-stop').click();
  await expect(status).toHaveAttribute('data-status', 'stopped', { timeout: 120_000 });

  await page.getByTestId('nav-runs').click();
  await expect(page.getByTestId('runs-page')).toBeVisible();
  const row = page.getByTestId('run-row').first();
  await expect(row).toHaveAttribute('data-status', 'stopped');
  const runId = Number(await row.getAttribute('data-run-id'));
  await row.click();
  await expect(page.getByTestId('run-detail')).toBeVisible();
  await page.getByTestId('run-resume').click();
  // Resume continues on the Train page, from the checkpoint, to the third epoch.
  await expect(status).toHaveAttribute('data-status', 'finished', { timeout: 240_000 });
  await expect(page.getByTestId('train-epoch')).toHaveAttribute('data-epoch', '3');
  await page.getByTestId('nav-runs').click();
  await expect(row).toHaveAttribute('data-status', 'finished');
  await page.screenshot({ path: path.join(ARTIFACTS, 'runs.png') });

  // The catalogue agrees: three epochs recorded, a final model saved.
  const runs = studio.cli<RunDetail[]>('runs');
  const run = runs.find((r) => r.id === runId);
  expect(run).toMatchObject({ status: 'finished', epochsDone: 3, hasModel: true });
});
