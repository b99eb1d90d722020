import { CLASS_NAMES } from '../../contract/classes.ts';
import type { Evaluation, EventOf, RequestOf } from '../../contract/handlers.ts';
import { StudioError } from '../../contract/errors.ts';
import type { Studio } from '../../studio.ts';
import { call, numberOption, requiredNumber, UsageError, withStudio } from '../args.ts';
import type { CommandContext, Values } from '../args.ts';
import { createProgressPrinter } from '../progress.ts';

type Progress = ReturnType<typeof createProgressPrinter>;

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** Runs `body` on an open catalogue with evaluation progress (per fold) drawn on stderr. */
function withEvaluationProgress(
  values: Values,
  body: (studio: Studio, progress: Progress) => Promise<number>,
): Promise<number> {
  return withStudio(values, (studio) => {
    const progress = createProgressPrinter();
    studio.subscribe((event, payload) => {
      if (event !== 'evaluation-progress') return;
      const p = payload as EventOf<'evaluation-progress'>;
      progress.update(p.fold === null ? p.phase : `${p.phase} fold ${p.fold}`, p.done, p.total);
    });
    return body(studio, progress);
  });
}

function classTable(perClass: Evaluation['perClass']): void {
  console.log(
    `${'class'.padEnd(10)}${'precision'.padStart(10)}${'recall'.padStart(8)}${'f1'.padStart(8)}${'n'.padStart(6)}`,
  );
  for (const name of CLASS_NAMES) {
    const c = perClass[name];
    console.log(
      `${name.padEnd(10)}${pct(c.precision).padStart(10)}${pct(c.recall).padStart(8)}${c.f1.toFixed(3).padStart(8)}${String(c.support).padStart(6)}`,
    );
  }
}

const scores = ({ accuracy, loss, perClass, confusion, labels }: Evaluation) => ({
  accuracy,
  loss,
  perClass,
  confusion,
  labels,
});

/**
 * `evaluate --run ID [--tta flip]`: accuracy, loss and a per-class table (scores as JSON with
 * --json). With --tta flip the flip figures are printed (and keyed `flip` in JSON) beside the
 * plain ones, never instead of them.
 */
export function evaluateCommand({ values, out }: CommandContext): Promise<number> {
  return withEvaluationProgress(values, async (studio, progress) => {
    const request: RequestOf<'evaluation-run'> = {
      runId: requiredNumber(values, 'run', 'evaluate'),
    };
    if (values.split) request.split = values.split as 'test' | 'val';
    if (values.tta !== undefined && values.tta !== 'flip' && values.tta !== 'none')
      throw new UsageError(`--tta must be flip or none; got "${values.tta}".`);
    const e = await call(studio, 'evaluation-run', request);
    const flip =
      values.tta === 'flip'
        ? await call(studio, 'evaluation-run', { ...request, tta: 'flip' })
        : null;
    progress.done();
    out(flip ? { ...scores(e), flip: scores(flip) } : scores(e), () => {
      console.log(
        `run ${e.runId} on ${e.images} ${e.split} images: accuracy ${pct(e.accuracy)}, loss ${e.loss.toFixed(4)}`,
      );
      classTable(e.perClass);
      if (flip) {
        console.log(
          `with test-time flip (mean of each image's and its mirror's prediction): accuracy ${pct(flip.accuracy)}, loss ${flip.loss.toFixed(4)}`,
        );
        classTable(flip.perClass);
      }
    });
    return 0;
  });
}

const METHODS = ['training-dynamics', 'k-fold'] as const;
const READINGS = ['people', 'model'] as const;

/**
 * `issues --run ID [--method training-dynamics|k-fold] [--reading people|model]`: images whose label the run doubts most,
 * with what the studio advises for each (relabel, needs a look, exclude). Ctrl+C ends a k-fold
 * search (exit 130) and keeps its finished folds.
 */
export function issuesCommand({ values, out }: CommandContext): Promise<number> {
  return withEvaluationProgress(values, async (studio, progress) => {
    const request: RequestOf<'label-issues'> = {
      runId: requiredNumber(values, 'run', 'issues'),
    };
    const limit = numberOption(values, 'limit');
    const folds = numberOption(values, 'folds');
    const epochs = numberOption(values, 'epochs');
    if (limit !== undefined) request.limit = limit;
    if (folds !== undefined) request.folds = folds;
    if (epochs !== undefined) request.epochs = epochs;
    const method = values.method;
    if (method !== undefined) {
      const known = METHODS.find((m) => m === method);
      if (!known)
        throw new UsageError(`--method must be ${METHODS.join(' or ')}, got "${method}".`);
      request.method = known;
    }
    const reading = values.reading;
    if (reading !== undefined) {
      const known = READINGS.find((r) => r === reading);
      if (!known)
        throw new UsageError(`--reading must be ${READINGS.join(' or ')}, got "${reading}".`);
      request.reading = known;
    }
    // Ctrl+C ends a k-fold search; the folds that finished stay stored for the next one.
    const cancel = () => void studio.dispatch('label-issues-cancel', { runId: request.runId });
    process.once('SIGINT', cancel);
    let reply;
    try {
      reply = await call(studio, 'label-issues', request);
    } catch (error) {
      if (!(error instanceof StudioError && error.code === 'cancelled')) throw error;
      progress.done();
      console.error(error.message);
      return 130;
    } finally {
      process.off('SIGINT', cancel);
    }
    progress.done();
    const rows = reply.issues.map(({ id, label, suggested, confidence, doubt, action }) => ({
      id,
      label,
      suggested,
      confidence,
      doubt,
      action,
    }));
    const advice = {
      relabel: 'relabel as',
      'needs-look': 'needs a look; maybe',
      exclude: 'exclude? maybe',
    };
    out(rows, () => {
      for (const r of rows)
        console.log(
          `image ${r.id}: labelled ${r.label}, doubt ${pct(r.doubt)}, ${advice[r.action]} ${r.suggested} (${pct(r.confidence)})`,
        );
      if (rows.length === 0) console.log('No label issues found.');
      else
        console.log(
          `${rows.length} of ${reply.total} doubtful labels shown; judged by ${reply.method === 'k-fold' ? 'k-fold cross-validation' : 'the run’s training dynamics'}.`,
        );
    });
    return 0;
  });
}
