import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleCatalogueFolder } from './cli-helpers.ts';

const sample = sampleCatalogueFolder('fer-cli-export-');
const { cli } = sample;

describe('fer-studio export', () => {
  it('refuses a run without a model, exports a trained one, and never overwrites without --force', () => {
    const missing = cli('export', '--run', '1', '--format', 'onnx', '--out', 'm.onnx');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/not-found/);

    const train = cli('train', '--epochs', '1', '--json');
    expect(train.status).toBe(0);
    const summary = JSON.parse(train.stdout.trim().split('\n').at(-1) as string);
    expect(summary).toMatchObject({ status: 'finished', epochs: 1 });
    // The studio names its backend itself; tfjs' "install tfjs-node" banner is noise.
    expect(train.stderr).not.toContain('looks like you are running TensorFlow.js');

    const onnx = cli(
      'export',
      '--run',
      String(summary.runId),
      '--format',
      'onnx',
      '--out',
      'm.onnx',
      '--json',
    );
    expect(onnx.status).toBe(0);
    expect(onnx.stderr).not.toContain('looks like you are running TensorFlow.js');
    expect(JSON.parse(onnx.stdout).files).toEqual([
      path.join(sample.dir, 'm.onnx'),
      path.join(sample.dir, 'm.onnx.preprocessing.json'),
    ]);
    const contract = JSON.parse(
      fs.readFileSync(path.join(sample.dir, 'm.onnx.preprocessing.json'), 'utf8'),
    );
    expect(JSON.stringify(contract)).toContain('angry');

    const before = fs.readFileSync(path.join(sample.dir, 'm.onnx'));
    const again = cli(
      'export',
      '--run',
      String(summary.runId),
      '--format',
      'onnx',
      '--out',
      'm.onnx',
    );
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/error \(already-exists\): .*m\.onnx already exists/);
    expect(fs.readFileSync(path.join(sample.dir, 'm.onnx')).equals(before)).toBe(true);
    expect(
      cli(
        'export',
        '--run',
        String(summary.runId),
        '--format',
        'onnx',
        '--out',
        'm.onnx',
        '--force',
      ).status,
    ).toBe(0);

    expect(
      cli('export', '--run', String(summary.runId), '--format', 'keras', '--out', 'k.keras').status,
    ).toBe(0);
    expect(
      cli('export', '--run', String(summary.runId), '--format', 'tfjs', '--out', 'tfjs-model')
        .status,
    ).toBe(0);
    expect(fs.existsSync(path.join(sample.dir, 'tfjs-model/model.json'))).toBe(true);
    expect(
      cli('export', '--run', String(summary.runId), '--format', 'pdf', '--out', 'x').status,
    ).toBe(2);
  });

  it('exports the cleaned dataset', () => {
    expect(cli('relabel', '--image', '1', '--label', 'exclude').status).toBe(0);
    const result = cli('export-dataset', '--out', 'clean', '--json');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ images: 41, excluded: 1 });
    expect(fs.existsSync(path.join(sample.dir, 'clean/label-changes.csv'))).toBe(true);
  });
});
