import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ImportReportView } from '../../../renderer/src/dataset/import-report.tsx';
import { makeReport } from './fake-client.ts';

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
