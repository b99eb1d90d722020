import type { RunDetail } from '../contract/handlers.ts';
import type { LrMark } from './line-chart.ts';

const num = (x: number): string => String(Number(x.toPrecision(4)));
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Below the curves: what moved the learning rate in this run, naming the schedule that ran. */
export function lrNote(run: RunDetail, marks: readonly LrMark[]): string {
  if (run.imported) return 'Trained elsewhere: FER Studio has no curves for this model.';
  const { schedule: s, reduceLrOnPlateau: p, learningRate, monitor } = run.config;
  const w = s.warmupEpochs;
  const warmup =
    w > 0 ? `rose over ${plural(w, 'warm-up epoch')} to ${num(learningRate)}, then ` : '';
  const last = run.history.at(-1);
  switch (s.kind) {
    case 'cosine': {
      const end = !last
        ? ''
        : ` down to ${num(last.lr)} ${last.epoch === run.config.epochs ? 'at the last epoch' : `by epoch ${last.epoch}`}`;
      const from = w > 0 ? '' : ` from ${num(learningRate)}`;
      return `The learning rate ${warmup}followed a cosine schedule${from}${end}.`;
    }
    case 'step':
      return marks.length > 0
        ? `Dashed lines: the step schedule multiplied the learning rate by ${num(s.stepFactor)} after that epoch.`
        : `The learning rate ${warmup}stayed at ${num(learningRate)}: the step schedule's first step (every ${plural(s.stepEvery, 'epoch')}) was not reached.`;
    case 'plateau':
      if (!p.enabled) break;
      return marks.length > 0
        ? `Dashed lines: ReduceLROnPlateau lowered the learning rate after that epoch (× ${num(p.factor)} after ${plural(p.patience, 'epoch')} without improvement in ${monitor}).`
        : `The learning rate ${warmup}stayed at ${num(learningRate)}: ${monitor} never stalled for ${plural(p.patience, 'epoch')}, so ReduceLROnPlateau did not lower it.`;
    case 'constant':
      break;
  }
  return `The learning rate ${warmup}stayed at ${num(learningRate)} (constant schedule).`;
}
