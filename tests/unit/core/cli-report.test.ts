import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleCatalogueFolder } from './cli-helpers.ts';

const sample = sampleCatalogueFolder('fer-cli-report-');
const { cli } = sample;

describe('fer-studio report', () => {
  it('writes a report folder with progress on stderr, and never overwrites without --force', () => {
    expect(cli('report', '--run', '1').status).toBe(2);
    const missing = cli('report', '--run', '1', '--out', 'r');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/error \(not-found\): No run 1/);

    const train = cli('train', '--epochs', '1', '--json');
    expect(train.status).toBe(0);
    const { runId } = JSON.parse(train.stdout.trim().split('\n').at(-1) as string);

    const report = cli('report', '--run', String(runId), '--out', 'r', '--json');
    expect(report.status).toBe(0);
    const { files } = JSON.parse(report.stdout) as { files: string[] };
    expect(files[0]).toBe(path.join(sample.dir, 'r', 'report.html'));
    expect(files.filter((f) => f.endsWith('.png'))).toHaveLength(5);
    for (const file of files) expect(fs.statSync(file).size).toBeGreaterThan(1000);
    expect(report.stderr).toMatch(/done \[#+\] 100\/100/);
    const html = fs.readFileSync(path.join(sample.dir, 'r', 'report.html'), 'utf8');
    expect(html).toContain(`Training report — run #${runId}`);
    expect(html).toMatch(/<tr data-epoch="1">/);

    fs.writeFileSync(path.join(sample.dir, 'r', 'note.txt'), 'mine');
    const again = cli('report', '--run', String(runId), '--out', 'r');
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(
      /error \(already-exists\): .* already exists\. Choose another name, or pass --force to overwrite it\.$/m,
    );
    expect(fs.readFileSync(path.join(sample.dir, 'r', 'note.txt'), 'utf8')).toBe('mine');

    const forced = cli('report', '--run', String(runId), '--out', 'r', '--force');
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain(path.join(sample.dir, 'r', 'report.html'));
    expect(fs.readdirSync(path.join(sample.dir, 'r')).sort()).toEqual(['charts', 'report.html']);
  }, 180_000);
});
