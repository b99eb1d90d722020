import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { ResponseOf } from '../../app/contract/handlers.ts';
import { expect, test } from './serve-fixture.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
type ProjectList = ResponseOf<'project-list'>;

test('projects: create one, open the sample as its own project, switch back; each keeps its images', async ({
  page,
  studio,
}) => {
  test.setTimeout(120_000);
  await page.goto(studio.url);
  await expect(page.getByTestId('project-name')).toHaveText(path.basename(studio.dataDir));

  await page.getByTestId('new-project-name').fill('Faces A');
  await page.getByTestId('create-project').click();
  await expect(page.getByTestId('project-name')).toHaveText('Faces A');
  await expect(page).toHaveTitle('Faces A — FER Studio');
  await expect(page.getByTestId('open-sample')).toBeVisible();

  await page.getByTestId('open-sample').click();
  await expect(page.getByTestId('balance-chart')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('project-name')).toHaveText('Sample — synthetic faces');
  const total = Number(await page.getByTestId('grid-count').getAttribute('data-count'));
  expect(total).toBe(1050);

  // The project menu lists both with their counts; Faces A got none of the sample's faces.
  await page.getByTestId('project-menu').click();
  const menu = page.getByRole('dialog', { name: 'Projects' });
  const facesA = menu.getByTestId('project-item').filter({ hasText: 'Faces A' });
  await expect(facesA).toContainText('0 images · 0 runs');
  await expect(
    menu.getByTestId('project-item').filter({ hasText: 'Sample — synthetic faces' }),
  ).toContainText('1,050 images');
  await facesA.click();
  await expect(page.getByTestId('project-name')).toHaveText('Faces A');
  await expect(page.getByTestId('open-sample')).toBeVisible();

  // The CLI over the same data directory sees the same projects.
  const list = JSON.parse(
    execFileSync(
      process.execPath,
      [path.join(ROOT, 'app/cli/main.ts'), 'projects', '--data-dir', studio.dataDir, '--json'],
      { cwd: ROOT, encoding: 'utf8' },
    ),
  ) as ProjectList;
  const byName = new Map(list.projects.map((p) => [p.name, p.images]));
  expect(byName.get('Faces A')).toBe(0);
  expect(byName.get('Sample — synthetic faces')).toBe(1050);
});
