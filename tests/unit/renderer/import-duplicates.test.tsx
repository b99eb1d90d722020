import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ImportReportView } from '../../../renderer/src/dataset/import-report.tsx';
import { createFakeClient, makeList, makeReport, makeStats } from './fake-client.ts';
import { renderApp } from './render-app.tsx';

afterEach(cleanup);

describe('import report duplicates', () => {
  it('lists each skipped duplicate beside the file that kept its image', () => {
    const duplicateFiles = [
      { file: 'train/happy/copy.png', imageId: 12, keptFile: 'train/happy/a.png' },
      { file: 'test/sad/b (1).png', imageId: 40, keptFile: 'test/sad/b.png' },
    ];
    render(<ImportReportView report={makeReport({ duplicates: 3, duplicateFiles })} />);
    const details = screen.getByTestId('report-duplicate-files');
    expect(details.querySelector('summary')?.textContent).toBe('Show the 3 duplicate files');
    fireEvent.click(details.querySelector('summary') as HTMLElement);
    const items = [...details.querySelectorAll('li')].map((li) => li.textContent);
    expect(items).toEqual([
      'train/happy/copy.png same image as train/happy/a.png (#12)',
      'test/sad/b (1).png same image as test/sad/b.png (#40)',
    ]);
    // The report lists at most 1,000; the rest are counted.
    expect(details.textContent).toContain('…and 1 more.');
  });

  it('shows no list for an import without duplicates or a report stored before the list', () => {
    render(<ImportReportView report={makeReport({ duplicates: 2 })} />);
    expect(screen.queryByTestId('report-duplicate-files')).toBeNull();
  });
});

describe('imports panel duplicates', () => {
  it('an earlier import’s duplicates stay listable on the Dataset page', async () => {
    const duplicateFiles = [
      { file: 'happy/a copy.png', imageId: 3, keptFile: 'train/happy/a.png' },
    ];
    const client = createFakeClient({
      'app-info': () => ({
        mode: 'browser',
        version: '0.1.0',
        catalogPath: '/c.sqlite',
        dataDir: '/d',
        canPickFolder: false,
      }),
      'catalogue-stats': () => makeStats(28),
      'catalogue-list': () => makeList(28),
      'runs-list': () => ({ runs: [] }),
      'imports-list': () => ({
        imports: [
          {
            id: 2,
            folder: '/photos/mine',
            startedAt: '2026-11-27T02:00:00.000Z',
            finishedAt: '2026-11-27T02:01:00.000Z',
            status: 'done',
            images: 7,
            duplicates: 1,
            duplicateFiles,
            usedByRuns: 0,
            removedAt: null,
          },
        ],
      }),
    });
    renderApp(client);
    const entry = await screen.findByTestId('import-entry');
    const details = within(entry).getByTestId('report-duplicate-files');
    expect(details.querySelector('summary')?.textContent).toBe('Show the 1 duplicate file');
    expect(details.querySelector('li')?.textContent).toBe(
      'happy/a copy.png same image as train/happy/a.png (#3)',
    );
  });
});
