import { CLASS_NAMES } from '../contract/classes.ts';

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Metrics {
  accuracy: number;
  /** Rows are the true class, columns the predicted class, both in CLASS_NAMES order. */
  confusion: number[][];
  perClass: Record<(typeof CLASS_NAMES)[number], ClassMetrics>;
}

/** Accuracy, confusion matrix and per-class precision/recall/F1; 0 (not NaN) where a ratio has no denominator. */
export function computeMetrics(truth: ArrayLike<number>, predicted: ArrayLike<number>): Metrics {
  if (truth.length !== predicted.length)
    throw new Error(`${truth.length} labels but ${predicted.length} predictions.`);
  const k = CLASS_NAMES.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] as number;
    const p = predicted[i] as number;
    (confusion[t] as number[])[p] = ((confusion[t] as number[])[p] as number) + 1;
    if (t === p) correct++;
  }
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const perClass = Object.fromEntries(
    CLASS_NAMES.map((name, c) => {
      const tp = (confusion[c] as number[])[c] as number;
      const support = (confusion[c] as number[]).reduce((a, b) => a + b, 0);
      const predictedC = confusion.reduce((sum, row) => sum + (row[c] as number), 0);
      const precision = ratio(tp, predictedC);
      const recall = ratio(tp, support);
      return [
        name,
        { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support },
      ];
    }),
  ) as Metrics['perClass'];
  return { accuracy: ratio(correct, truth.length), confusion, perClass };
}
