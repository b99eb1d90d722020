import type {
  BackendInfo,
  Channel,
  Evaluation,
  EventName,
  EventOf,
  ImageDetail,
  ImageList,
  ImportReport,
  Label,
  LabelIssue,
  RequestOf,
  ResponseOf,
  RunDetail,
  RunSummary,
  Split,
  Stats,
  StudioClient,
  TrainingOptions,
} from '../../../app/contract/index.ts';
import { CLASS_NAMES } from '../../../app/contract/index.ts';
import { DEPENDENT_DEFAULTS, parseTrainConfig } from '../../../app/training/config.ts';
import { appliedSettings } from '../../../app/runs/applied-settings.ts';

export type FakeHandlers = {
  [C in Channel]?: (request: RequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>>;
};

export interface FakeClient extends StudioClient {
  /** Every invoke, in order. */
  readonly calls: { channel: Channel; request: unknown }[];
  requestsTo<C extends Channel>(channel: C): RequestOf<C>[];
  emit<E extends EventName>(event: E, payload: EventOf<E>): void;
  listenerCount(event: EventName): number;
  handlers: FakeHandlers;
}

/** A typed stand-in for the core: answers from `handlers`; a channel without one rejects. */
export function createFakeClient(handlers: FakeHandlers = {}): FakeClient {
  const calls: { channel: Channel; request: unknown }[] = [];
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const client: FakeClient = {
    calls,
    handlers,
    async invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
      calls.push({ channel, request });
      const handler = client.handlers[channel] as
        ((request: RequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>>) | undefined;
      if (!handler) throw new Error(`fake client: no handler for "${channel}"`);
      return handler(request);
    },
    on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    listenerCount(event) {
      return listeners.get(event)?.size ?? 0;
    },
    requestsTo<C extends Channel>(channel: C) {
      return calls.filter((call) => call.channel === channel).map((c) => c.request as RequestOf<C>);
    },
    imageUrl: (imageKey, id) => `fake-image://${imageKey}/${id}.png`,
  };
  return client;
}

export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Stats with `perClass` train images and half as many test images for every class. */
export function makeStats(perClass: number, excluded = 0): Stats {
  const classes = Object.fromEntries(
    CLASS_NAMES.map((name, i) => [name, { train: perClass + i, test: Math.floor(perClass / 2) }]),
  ) as Stats['classes'];
  const total = CLASS_NAMES.reduce((sum, n) => sum + classes[n].train + classes[n].test, 0);
  return { classes, total, excluded };
}

export function emptyStats(): Stats {
  const classes = Object.fromEntries(
    CLASS_NAMES.map((name) => [name, { train: 0, test: 0 }]),
  ) as Stats['classes'];
  return { classes, total: 0, excluded: 0 };
}

/** `count` images, labels cycling through the classes, every fifth one in test. */
export function makeList(
  count: number,
  filter: { split?: Split | undefined; label?: Label | undefined } = {},
): ImageList {
  const list: ImageList = { ids: [], labels: [], splits: [] };
  for (let i = 0; i < count; i += 1) {
    const label = CLASS_NAMES[i % CLASS_NAMES.length] ?? 'angry';
    const split: Split = i % 5 === 0 ? 'test' : 'train';
    if (filter.split && filter.split !== split) continue;
    if (filter.label && filter.label !== label) continue;
    list.ids.push(1000 + i);
    list.labels.push(label);
    list.splits.push(split);
  }
  return list;
}

export function makeReport(overrides: Partial<ImportReport> = {}): ImportReport {
  return {
    importId: 1,
    folder: '/data/faces',
    layout: 'fraction',
    imported: 120,
    duplicates: 3,
    skipped: { 'not-an-image': 2 },
    resized: 5,
    converted: 7,
    mappedFolders: { Anger: 'angry' },
    problems: [{ file: 'happy/broken.png', reason: 'not-an-image', detail: 'bad PNG signature' }],
    classes: makeStats(10).classes,
    cancelled: false,
    seconds: 1.5,
    ...overrides,
  };
}

export function makeDetail(id: number): ImageDetail {
  return {
    id,
    label: 'sad',
    originalLabel: 'fear',
    split: 'train',
    folder: '/data/faces',
    file: `fear/${id}.png`,
    format: 'png',
    originalWidth: 64,
    originalHeight: 64,
    resized: true,
    converted: false,
    hash: `hash-${id}`,
    importedAt: '2025-01-02T03:04:05.000Z',
    history: [{ from: 'fear', to: 'sad', at: '2025-01-03T00:00:00.000Z', source: 'manual' }],
  };
}

export const WASM_BACKEND: BackendInfo = {
  name: 'wasm',
  label: 'WebAssembly (SIMD, 2 threads)',
  reasons: ['No CUDA GPU was found.', '@tensorflow/tfjs-node is not installed.'],
};

/** The real defaults, made by the core's own config parser. */
export function makeTrainingOptions(): TrainingOptions {
  return {
    models: [
      { name: 'compact-cnn', description: 'Small and fast.', parameters: 98_000 },
      { name: 'seed-cnn', description: 'The reference CNN.', parameters: 1_400_000 },
    ],
    defaultModel: 'compact-cnn',
    backend: WASM_BACKEND,
    // 30 epochs: the renderer tests count epochs against this, not against the core's default.
    defaults: parseTrainConfig({ model: 'compact-cnn', epochs: 30 }),
    dependentDefaults: DEPENDENT_DEFAULTS,
  };
}

/** A k-fold label-issues plan not yet run: 4 folds × 8 epochs on 2,360 training images. */
export function makeIssuesPlan(
  overrides: Partial<ResponseOf<'label-issues-plan'>> = {},
): ResponseOf<'label-issues-plan'> {
  return {
    method: 'k-fold',
    dynamics: false,
    folds: 4,
    epochs: 8,
    trainImages: 2360,
    estimatedSeconds: 170,
    ready: false,
    foldsDone: 0,
    ...overrides,
  };
}

export function makeRun(id: number, overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    createdAt: new Date(Date.UTC(2025, 0, id)).toISOString(),
    status: 'finished',
    model: 'compact-cnn',
    backend: WASM_BACKEND,
    epochsDone: 3,
    epochs: 3,
    bestValAcc: 0.5,
    bestEpoch: 3,
    seconds: 90,
    message: null,
    trainImages: 900,
    valImages: 100,
    canResume: false,
    hasModel: true,
    parentRunId: null,
    ...overrides,
  };
}

/** A plateau run whose history has `epochs` epochs, the learning rate halved after epoch 2. */
export function makeRunDetail(id: number, overrides: Partial<RunSummary> = {}): RunDetail {
  const summary = makeRun(id, overrides);
  const history = Array.from({ length: summary.epochsDone }, (_, i) => ({
    epoch: i + 1,
    loss: 1.8 - i * 0.2,
    acc: 0.3 + i * 0.05,
    valLoss: 1.9 - i * 0.15,
    valAcc: 0.28 + i * 0.05,
    lr: i < 2 ? 1e-3 : 5e-4,
    imagesPerSec: 400,
    seconds: 30,
  }));
  const config = parseTrainConfig({ epochs: summary.epochs, schedule: { kind: 'plateau' } });
  const settings = appliedSettings({ ...summary, config, preprocessing: null, resumes: [] });
  return { ...summary, config, history, resumes: [], settings };
}

/** A 7×7 confusion where row r (true class r) holds (r + 1) * 10 right and r + c wrong per other column. */
export function makeEvaluation(runId: number, split: 'test' | 'val' = 'test'): Evaluation {
  const n = CLASS_NAMES.length;
  const confusion = CLASS_NAMES.map((_, r) =>
    CLASS_NAMES.map((__, c) => (r === c ? (r + 1) * 10 : r + c)),
  );
  const total = confusion.flat().reduce((a, b) => a + b, 0);
  const right = confusion.reduce((sum, row, i) => sum + (row[i] ?? 0), 0);
  const perClass = Object.fromEntries(
    CLASS_NAMES.map((name, i) => {
      const support = (confusion[i] ?? []).reduce((a, b) => a + b, 0);
      const predicted = confusion.reduce((sum, row) => sum + (row[i] ?? 0), 0);
      const tp = confusion[i]?.[i] ?? 0;
      const precision = tp / predicted;
      const recall = tp / support;
      return [
        name,
        { precision, recall, f1: (2 * precision * recall) / (precision + recall), support },
      ];
    }),
  ) as Evaluation['perClass'];
  if (n !== 7) throw new Error('seven classes expected');
  return {
    runId,
    split,
    accuracy: right / total,
    loss: 0.9876,
    perClass,
    confusion,
    labels: [...CLASS_NAMES],
    images: total,
  };
}

export function makeIssues(count: number): LabelIssue[] {
  return Array.from({ length: count }, (_, i) => ({
    id: 5000 + i,
    label: CLASS_NAMES[i % 7] ?? 'angry',
    suggested: CLASS_NAMES[(i + 3) % 7] ?? 'happy',
    confidence: 0.9 - i * 0.01,
    selfConfidence: 0.05 + i * 0.01,
    doubt: 0.95 - i * 0.01,
    action: 'relabel' as const,
    source: i % 2 === 0 ? ('cross-validation' as const) : ('held-out' as const),
  }));
}
