import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../../app/contract/classes.ts';
import type { EventOf, LabelIssue } from '../../../app/contract/handlers.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { createRng } from '../../../app/util/rng.ts';
import { openSession, type Session } from '../session.ts';
import { recordUntrainedRun } from './untrained-run.ts';

/**
 * Sized to what this 2-core box cross-validates in under two minutes: 392 training images, the
 * default 4 folds, 8 epochs of batch 32 (the folds get the product's default epochs, which the
 * run's 8 cap). The cross-validation is seeded, so the figures are the same every run.
 */
const PER_CLASS = 70;
const FOLDS = 4;
const EPOCHS = 8;
let dir: string;
let s: Session;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-issues-'));
  await writeSampleDataset(path.join(dir, 'sample'), { perClass: PER_CLASS, seed: 11 });
  s = openSession(dir, 'issues');
  await s.call('catalogue-import', { folder: path.join(dir, 'sample') });
});
afterAll(async () => {
  await s.studio.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('label issues by cross-validated confident learning', () => {
  it('tells deliberately flipped labels from clean ones, out of sample', async () => {
    const train = await s.call<{ ids: number[]; labels: string[] }>('catalogue-list', {
      split: 'train',
    });
    const rng = createRng(7);
    const order = rng.shuffle(train.ids.map((_, i) => i));
    const flipped = new Map<number, string>();
    for (const i of order.slice(0, Math.round(train.ids.length * 0.05))) {
      const from = train.labels[i] as string;
      const others = CLASS_NAMES.filter((c) => c !== from);
      flipped.set(train.ids[i] as number, others[rng.int(others.length)] as string);
    }
    await s.call('labels-set', {
      changes: [...flipped].map(([imageId, label]) => ({ imageId, label })),
    });
    // Cross-validation needs the run's label snapshot and config, not its final model: record the
    // run as training-start does, without spending the test's time budget on training it.
    const runId = recordUntrainedRun(path.join(dir, 'issues.sqlite'), dir, {
      epochs: EPOCHS,
      batchSize: 32,
      learningRate: 3e-3,
      classWeighting: 'none',
    });

    const started = performance.now();
    const { issues } = await s.call<{ issues: LabelIssue[] }>('label-issues', {
      runId,
      limit: 5000,
      folds: FOLDS,
    });
    const seconds = (performance.now() - started) / 1000;
    const k = flipped.size;
    const precisionAt = (n: number) =>
      issues.slice(0, n).filter((issue) => flipped.has(issue.id)).length / n;
    const recall = issues.filter((issue) => flipped.has(issue.id)).length / k;
    // AUC of "1 − out-of-sample probability of the given label": flipped vs clean images.
    const doubt = new Map<number, number>();
    for (const [i, imageId] of train.ids.entries()) {
      const p = await s.call<{ probabilities: number[]; outOfSample: boolean }>(
        'image-predictions',
        { runId, imageId },
      );
      expect(p.outOfSample).toBe(true);
      const given = flipped.get(imageId) ?? (train.labels[i] as string);
      doubt.set(imageId, 1 - (p.probabilities[CLASS_NAMES.indexOf(given as 'angry')] ?? 0));
    }
    let pairs = 0;
    let wins = 0;
    for (const a of flipped.keys())
      for (const [b, clean] of doubt)
        if (!flipped.has(b)) {
          pairs++;
          const mine = doubt.get(a) ?? 0;
          wins += mine > clean ? 1 : mine === clean ? 0.5 : 0;
        }
    const auc = wins / pairs;
    console.log(
      `label issues: ${issues.length} flagged of ${train.ids.length}; precision@${k} ${precisionAt(k).toFixed(2)}, precision@${2 * k} ${precisionAt(2 * k).toFixed(2)} (base rate 0.05), recall ${recall.toFixed(2)}, AUC ${auc.toFixed(2)}; cross-validation ${seconds.toFixed(1)} s`,
    );
    // This seeded cross-validation gives precision@20 0.65, recall 0.90, AUC 0.92 (other seeds and
    // fold counts: precision@k 0.50–0.70). Chance is precision 0.05 and AUC 0.5.
    expect(precisionAt(k)).toBeGreaterThanOrEqual(0.5);
    expect(auc).toBeGreaterThanOrEqual(0.85);
    expect(recall).toBeGreaterThanOrEqual(0.6);
    for (const issue of issues) {
      expect(issue.suggested).not.toBe(issue.label);
      expect(issue.source).toBe('cross-validation');
    }
    const selfConfidences = issues.map((i) => i.selfConfidence);
    expect(selfConfidences).toEqual([...selfConfidences].sort((a, b) => a - b));
    const flippedIssue = issues.find((issue) => flipped.has(issue.id));
    expect(flippedIssue?.label).toBe(flipped.get(flippedIssue?.id ?? -1));

    const folds = s.events
      .filter((e) => e.event === 'evaluation-progress')
      .map((e) => e.payload as EventOf<'evaluation-progress'>);
    expect(new Set(folds.map((f) => f.fold))).toEqual(
      new Set(Array.from({ length: FOLDS }, (_, i) => i + 1)),
    );
    expect(folds.every((f) => f.phase === 'cross-validating' && f.done <= f.total)).toBe(true);

    // Stored out of sample: the second ask is instant, and a fixed label leaves the list.
    const top = issues[0] as LabelIssue;
    const info = await s.call<{ outOfSample: boolean; role: string }>('image-predictions', {
      runId,
      imageId: top.id,
    });
    expect(info).toMatchObject({ outOfSample: true, role: 'train' });
    await s.call('labels-set', {
      changes: [{ imageId: top.id, label: top.suggested }],
      source: 'suggestion',
    });
    s.events.length = 0;
    const again = await s.call<{ issues: LabelIssue[] }>('label-issues', {
      runId,
      limit: 5000,
      folds: FOLDS,
    });
    expect(s.events.filter((e) => e.event === 'evaluation-progress')).toHaveLength(0);
    expect(again.issues.map((i) => i.id)).toEqual(issues.slice(1).map((i) => i.id));
  }, 400_000);
});
