import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { CLASS_NAMES, classIndex } from '../contract/classes.ts';
import { StudioError } from '../contract/errors.ts';
import type { Evaluation, EventName, EventOf, LabelIssue } from '../contract/handlers.ts';
import type { IssueMethod } from '../contract/evaluation.ts';
import type { BackendPreference } from '../engine/backend.ts';
import { createRunStore } from '../runs/run-store.ts';
import { parsePreprocessing } from '../preprocessing/index.ts';
import { MODEL_FILE, WEIGHTS_FILE } from '../training/fs-io.ts';
import { parseStoredConfig } from '../training/config.ts';
import type { ProbabilityGroup } from './confident-learning.ts';
import { createDynamicsStore } from './dynamics-store.ts';
import type { LabelReading } from './people-reading.ts';
import { defaultReading } from './reading-default.ts';
import { SUGGESTION_RULES, suggestLabels } from './suggestions.ts';
import { defaultCvEpochs } from './cv-epochs.ts';
import { createEvalRunner } from './eval-runner.ts';
import { assignFolds, finishedFolds } from './folds.ts';
import { computeMetrics } from './metrics.ts';
import type { Tta } from './tta.ts';
import { createPredictionStore, type Role } from './prediction-store.ts';
import { scoreProbabilities, storedGroup } from './score.ts';

type Emit = <E extends EventName>(event: E, payload: EventOf<E>) => void;

export interface EvaluatorOptions {
  backend?: BackendPreference;
  /** Epochs each cross-validation fold trains; default `defaultCvEpochs`. */
  cvEpochs?: number;
}

/** Scores runs and finds doubtful labels; predictions are computed once, in a worker, and stored. */
export function createEvaluator(db: Database.Database, emit: Emit, options: EvaluatorOptions = {}) {
  const backend = options.backend ?? 'auto';
  const runs = createRunStore(db);
  const store = createPredictionStore(db);
  const dynamics = createDynamicsStore(db);
  const runner = createEvalRunner();
  let closed = false;
  // One worker job at a time: two cores, and a repeated request then finds the stored result.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    // A job queued behind one that close() cancelled must not touch the closing catalogue.
    const guarded = () =>
      closed ? Promise.reject(new StudioError('cancelled', 'The studio is closing.')) : job();
    const next = queue.then(guarded, guarded);
    queue = next.catch(() => {});
    return next;
  };

  function modelDir(runId: number): string {
    const row = runs.row(runId);
    if (!row.model_path)
      throw new StudioError(
        'not-found',
        `Run ${runId} has no saved model (status ${row.status}); evaluate a run that trained at least one epoch.`,
      );
    if (!fs.existsSync(path.join(row.model_path, MODEL_FILE)))
      throw new StudioError(
        'not-found',
        `The model file of run ${runId} is missing: ${path.join(row.model_path, MODEL_FILE)}.`,
      );
    return row.model_path;
  }

  /** Forgets stored final-model predictions if the run's saved model is not the one they came from. */
  function freshen(runId: number): void {
    const dir = runs.row(runId).model_path;
    if (!dir) return;
    try {
      const stat = fs.statSync(path.join(dir, WEIGHTS_FILE));
      store.forgetIfModelChanged(runId, `${stat.size}:${stat.mtimeMs}`);
    } catch {
      // A missing model is reported by modelDir() when predictions are needed.
    }
  }

  /** Predicts and stores every image of `ids`; `outOfSample` per image (the model never trained on it). */
  async function predictMissing(
    runId: number,
    ids: number[],
    outOfSample: (id: number) => boolean,
  ) {
    if (ids.length === 0) return;
    const probs = await predict(runId, ids, 'none');
    store.save(runId, ids, probs, ids.map(outOfSample));
  }

  // Single images asked for while a job runs are gathered into one worker job per run.
  const wanted = new Map<number, { ids: Set<number>; job: Promise<void> }>();
  function predictSoon(runId: number, imageId: number): Promise<void> {
    const open = wanted.get(runId);
    if (open) {
      open.ids.add(imageId);
      return open.job;
    }
    const ids = new Set([imageId]);
    const job = serial(async () => {
      wanted.delete(runId);
      const missing = [...ids].filter((id) => !store.one(runId, id));
      await predictMissing(runId, missing, (id) => store.role(runId, id)?.role !== 'train');
    });
    wanted.set(runId, { ids, job });
    return job;
  }

  /** Stores the run's own predictions for its `role` images lacking them (out of sample: it never trained on them). */
  async function predictHeldOut(runId: number, role: 'val' | 'test'): Promise<void> {
    const missing = () => {
      const have = new Set(store.load(runId, role).ids);
      return store.roleImages(runId, role).ids.filter((id) => !have.has(id));
    };
    if (missing().length > 0) await serial(() => predictMissing(runId, missing(), () => true));
  }

  /** The run's model on `ids`, in the worker, with progress: plain or with test-time flip. */
  function predict(runId: number, ids: number[], tta: Tta): Promise<Float32Array> {
    return runner.run(
      {
        type: 'predict',
        seq: runId,
        backend,
        modelDir: modelDir(runId),
        pixels: store.pixels(ids),
        preprocessing: parsePreprocessing(runs.row(runId).preprocessing),
        ...(tta === 'flip' ? { tta } : {}),
      },
      (done, total) =>
        emit('evaluation-progress', { runId, phase: 'predicting', done, total, fold: null }),
    );
  }

  // Test-time flip predictions are not stored: the predictions table (cells, label issues) holds
  // the plain model's. They are kept per run and split for as long as the saved model is unchanged.
  const flipped = new Map<string, { stamp: string; probs: Float32Array }>();
  async function flipProbabilities(runId: number, split: Role, ids: number[]) {
    const dir = modelDir(runId);
    const stat = fs.statSync(path.join(dir, WEIGHTS_FILE));
    const stamp = `${stat.size}:${stat.mtimeMs}:${ids.join(',')}`;
    const key = `${runId}:${split}`;
    const cached = flipped.get(key);
    if (cached?.stamp === stamp) return cached.probs;
    const probs = await serial(() => predict(runId, ids, 'flip'));
    flipped.set(key, { stamp, probs });
    return probs;
  }

  async function evaluate(
    runId: number,
    split: 'test' | 'val',
    tta: Tta = 'none',
  ): Promise<Evaluation> {
    freshen(runId);
    const images = store.roleImages(runId, split);
    if (images.ids.length === 0)
      throw new StudioError(
        'bad-request',
        split === 'val'
          ? `Run ${runId} has no validation images${runs.row(runId).imported ? ' (its model was imported: trained elsewhere)' : ''}; evaluate it on the test images.`
          : `Run ${runId} has no test images to evaluate.`,
      );
    let stored: { probs: Float32Array };
    if (tta === 'flip') stored = { probs: await flipProbabilities(runId, split, images.ids) };
    else {
      await predictHeldOut(runId, split);
      stored = store.load(runId, split);
    }
    return scored(runId, split, images.labels, stored.probs, tta);
  }

  function scored(
    runId: number,
    split: 'test' | 'val',
    labels: Parameters<typeof scoreProbabilities>[0],
    probs: Float32Array,
    tta: Tta,
  ): Evaluation {
    const { predicted, loss } = scoreProbabilities(labels, probs);
    const metrics = computeMetrics(labels, predicted);
    return { runId, split, ...metrics, loss, labels: [...CLASS_NAMES], images: labels.length, tta };
  }

  /** evaluate() from stored predictions only; null while any image of the split lacks one. */
  function stored(runId: number, split: 'test' | 'val'): Evaluation | null {
    freshen(runId);
    const images = store.roleImages(runId, split);
    const have = store.load(runId, split);
    if (images.ids.length === 0 || have.ids.length !== images.ids.length) return null;
    return scored(runId, split, images.labels, have.probs, 'none');
  }

  async function crossValidate(runId: number, folds: number, epochs?: number): Promise<void> {
    const row = runs.row(runId);
    const config = parseStoredConfig(JSON.parse(row.config));
    const images = store.roleImages(runId, 'train');
    if (images.ids.length < folds)
      throw new StudioError(
        'bad-request',
        `Run ${runId} has too few training images for ${folds} folds.`,
      );
    const assigned = assignFolds(images.labels, folds, config.seed);
    // Each fold is stored as it finishes, so a cancelled search goes on from where it stopped.
    const skipFolds = finishedFolds(store.load(runId, 'train', true).ids, images.ids, assigned);
    await runner.run(
      {
        type: 'cross-validate',
        seq: runId,
        backend,
        config,
        epochs: epochs ?? options.cvEpochs ?? defaultCvEpochs(config, images.ids.length, folds),
        pixels: store.pixels(images.ids),
        labels: images.labels,
        folds: assigned,
        foldCount: folds,
        skipFolds,
      },
      (done, total, fold) =>
        emit('evaluation-progress', { runId, phase: 'cross-validating', done, total, fold }),
      (_fold, indices, probs) =>
        store.save(
          runId,
          Array.from(indices, (i) => images.ids[i] ?? -1),
          probs,
          true,
        ),
    );
  }

  /**
   * What the ranking judges: the run's training images by their dynamics or k-fold models, its
   * validation and test images by its own model with test-time flip. bench:cleaning judges
   * exactly these against the crowd.
   */
  async function issueGroups(
    runId: number,
    request: { folds: number; epochs?: number; method?: IssueMethod },
  ): Promise<{ groups: ProbabilityGroup[]; method: IssueMethod }> {
    const row = runs.row(runId);
    // A fine-tuned run started from weights that may have seen any of its train and val images
    // (its parent's training set): only its test images are out of sample, so only they rank.
    const fineTuned = parseStoredConfig(JSON.parse(row.config)).fineTune !== undefined;
    const method = issueMethod(runId, fineTuned, request.method);
    const groups: ProbabilityGroup[] = [];
    if (!fineTuned && method === 'training-dynamics') groups.push(dynamicsGroup(runId));
    if (!fineTuned && method === 'k-fold') {
      const trainCount = store.roleImages(runId, 'train').ids.length;
      const have = () => store.load(runId, 'train', true).ids.length;
      if (have() < trainCount)
        await serial(async () => {
          if (have() < trainCount) await crossValidate(runId, request.folds, request.epochs);
        });
      groups.push(storedGroup(store, runId, ['train'], 'cross-validation'));
    }
    // A run that never saved a model has no held-out predictions: its training images still rank.
    if (row.model_path) {
      freshen(runId);
      for (const role of fineTuned ? (['test'] as const) : (['val', 'test'] as const)) {
        const images = store.roleImages(runId, role);
        if (images.ids.length === 0) continue;
        const probs = await flipProbabilities(runId, role, images.ids);
        groups.push({ ids: images.ids, labels: images.labels, probs, source: 'held-out' });
      }
    }
    return { groups, method };
  }

  /**
   * Training dynamics when the run recorded them (a ranking ready the moment it ended), else
   * k-fold; asking for dynamics a run does not have gets a sentence saying what to do instead.
   */
  function issueMethod(runId: number, fineTuned: boolean, asked?: IssueMethod): IssueMethod {
    const recorded = !fineTuned && dynamics.has(runId);
    if (asked === 'training-dynamics' && !recorded)
      throw new StudioError(
        'bad-request',
        fineTuned
          ? `Run ${runId} was fine-tuned from another model, so only its test images can be judged; ask without a method.`
          : `Run ${runId} recorded no training dynamics (it was trained before FER Studio recorded them, or imported); use the k-fold method, or train a new run.`,
      );
    return asked ?? (recorded ? 'training-dynamics' : 'k-fold');
  }

  /** The run's training images with their dynamics, judged against the labels the run trained on. */
  function dynamicsGroup(runId: number): ProbabilityGroup {
    const images = store.roleImages(runId, 'train');
    const labelOf = new Map(images.ids.map((id, i) => [id, images.labels[i] ?? 0]));
    const stored = dynamics.load(runId);
    const keep = stored.ids.map((id, i) => [id, i] as const).filter(([id]) => labelOf.has(id));
    const probs = new Float32Array(keep.length * CLASS_NAMES.length);
    keep.forEach(([, i], k) =>
      probs.set(
        stored.probs.subarray(i * CLASS_NAMES.length, (i + 1) * CLASS_NAMES.length),
        k * CLASS_NAMES.length,
      ),
    );
    return {
      ids: keep.map(([id]) => id),
      labels: keep.map(([id]) => labelOf.get(id) ?? 0),
      probs,
      source: 'training-dynamics',
    };
  }

  return {
    evaluate,
    stored,

    /** Ends a running prediction or cross-validation (its caller gets `cancelled`); waits for the worker. */
    close: () => {
      closed = true;
      return runner.close();
    },

    /** Ends the run's running cross-validation; its label-issues caller gets `cancelled`. */
    cancelCrossValidation: (runId: number): Promise<boolean> =>
      runner.cancelWhere(
        (kind) => kind.type === 'cross-validate' && kind.seq === runId,
        new StudioError(
          'cancelled',
          'Finding label issues was cancelled; the fold models that had finished are kept, and the next search goes on from there.',
        ),
      ),

    cell(runId: number, split: Role, trueLabel: (typeof CLASS_NAMES)[number], predicted: string) {
      freshen(runId);
      return store.cell(runId, split, trueLabel, classIndex(predicted as typeof trueLabel));
    },

    async imagePredictions(runId: number, imageId: number) {
      freshen(runId);
      if (store.currentLabels([imageId]).get(imageId) === undefined)
        throw new StudioError('not-found', `No image with id ${imageId} in the catalogue.`);
      const role = store.role(runId, imageId)?.role ?? null;
      let stored = store.one(runId, imageId);
      if (!stored && runs.row(runId).model_path) {
        // The final model trained on its train images: those predictions are in-sample.
        await predictSoon(runId, imageId);
        stored = store.one(runId, imageId);
      }
      return {
        runId,
        role,
        probabilities: stored ? Array.from(stored.probs) : null,
        outOfSample: stored?.outOfSample ?? false,
      };
    },

    /**
     * Ranks the run's images by out-of-sample doubt: its training images by k-fold
     * cross-validation (computed once, stored), its validation and test images by its own model.
     */
    issueGroups,

    async labelIssues(
      runId: number,
      request: {
        limit: number;
        folds: number;
        epochs?: number;
        method?: IssueMethod;
        reading?: LabelReading;
      },
    ): Promise<{
      issues: LabelIssue[];
      total: number;
      method: IssueMethod;
      reading: LabelReading;
    }> {
      const { groups, method } = await issueGroups(runId, request);
      const reading = request.reading ?? defaultReading(db, runId);
      const ranked = suggestLabels(groups, (ids) => store.pixels(ids), SUGGESTION_RULES, reading);
      const current = store.currentLabels(ranked.map((issue) => issue.id));
      // An image relabelled (or excluded) since the run is no longer an open question.
      const open = ranked.filter((issue) => current.get(issue.id) === issue.label);
      return { issues: open.slice(0, request.limit), total: open.length, method, reading };
    },

    /** The method `label-issues` uses for this run when the request names none. */
    defaultMethod: (runId: number): IssueMethod =>
      issueMethod(
        runId,
        parseStoredConfig(JSON.parse(runs.row(runId).config)).fineTune !== undefined,
      ),
  };
}

export type Evaluator = ReturnType<typeof createEvaluator>;
