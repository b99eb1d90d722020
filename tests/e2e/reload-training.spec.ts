import path from 'node:path';
import { ARTIFACTS, expect, openSample, test } from './serve-fixture.ts';

test('reloading mid-run comes back on Train with the run’s settings and its batch curve', async ({
  page,
  studio,
}) => {
  test.setTimeout(360_000);
  await openSample(page, studio);
  await page.getByTestId('nav-train').click();
  await page.getByTestId('train-epochs').fill('4');
  await page.getByTestId('train-batch-size').fill('32');
  await page.getByTestId('train-start').click();
  const loss = page.getByTestId('loss-chart');
  // Into the second epoch, so there is a curve to lose.
  await expect(page.getByTestId('train-epoch')).toHaveAttribute('data-epoch', /^[2-4]$/, {
    timeout: 180_000,
  });
  const before = Number(await loss.getAttribute('data-batch-points'));
  expect(before).toBeGreaterThan(3);

  await page.reload();
  await expect(page.getByTestId('train-page')).toBeVisible();
  await expect(page.getByTestId('train-epochs')).toHaveValue('4');
  await expect(page.getByTestId('train-batch-size')).toHaveValue('32');
  await expect(page.getByTestId('train-epochs')).toBeDisabled();
  await expect(page.getByTestId('train-epoch')).toContainText('/ 4');
  // The curve so far is back, not only what arrives after the reload.
  await expect
    .poll(async () => Number(await loss.getAttribute('data-batch-points')))
    .toBeGreaterThanOrEqual(before);
  await page.screenshot({ path: path.join(ARTIFACTS, 'reload-training.png') });
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'stopped', {
    timeout: 120_000,
  });
  // Stopped mid-run: it can go on from here.
  await expect(page.getByTestId('train-resume')).toBeVisible();

  // Resumed, then reloaded: the curve still starts in epoch 1, from before the stop.
  await page.getByTestId('train-resume').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'running', {
    timeout: 120_000,
  });
  await page.reload();
  await expect(page.getByTestId('train-page')).toBeVisible();
  await expect
    .poll(async () => Number((await loss.getAttribute('data-batch-from')) || Infinity), {
      timeout: 30_000,
    })
    .toBeLessThanOrEqual(1);
});
