import fs from 'node:fs';
import { encode as encodePng } from 'fast-png';
import { handlerSchemas } from './contract/handlers.ts';
import { StudioError, toErrorPayload } from './contract/errors.ts';
import { IMAGE_SIZE } from './contract/classes.ts';
import { openCatalogue } from './catalogue/catalogue.ts';
import { createCatalogueHandlers } from './catalogue/handlers.ts';
import { createEvaluation } from './evaluation/handlers.ts';
import { createLabelHandlers } from './labels/handlers.ts';
import { createCleaningHandlers } from './cleaning/handlers.ts';
import { createExportHandlers } from './export/handlers.ts';
import { createModelImportHandlers } from './model-import/handlers.ts';
import { createReportHandlers } from './report/handlers.ts';
import { createPredictHandlers } from './predict/handlers.ts';
import { createTrainingHandlers } from './runs/handlers.ts';
import { createRunManager } from './runs/run-manager.ts';
import { createRunStore } from './runs/run-store.ts';
import { artefactDirOf } from './project/layout.ts';
import { createSingleProjectHandlers } from './project/handlers.ts';
import { createImportsHandlers } from './imports/handlers.ts';
import { createRunEditHandlers } from './runs/run-edit.ts';
import type { BackendPreference } from './runs/worker-protocol.ts';
import type { EventName, EventOf, Handlers } from './contract/handlers.ts';
import type { Reply } from './contract/transport.ts';

export type StudioListener = <E extends EventName>(event: E, payload: EventOf<E>) => void;

export interface StudioOptions {
  catalogPath: string;
  /** The studio's own folder (its projects, recent list); a catalogue's files live beside it (app/project/layout.ts). */
  dataDir: string;
  mode: 'electron' | 'browser';
  /** Shell-specific handlers, e.g. Electron's native folder picker. */
  overrides?: Partial<Handlers>;
  /** Which compute backend training uses; `auto` picks the best available. */
  backend?: BackendPreference;
}

/** The core behind every transport: Electron IPC, the browser-mode server and the CLI. */
export interface Studio {
  handlers: Handlers;
  /** Validates channel and payload with the contract's zod schemas; never throws. */
  dispatch(channel: string, payload: unknown): Promise<Reply<unknown>>;
  subscribe(listener: StudioListener): () => void;
  /**
   * The image's stored 48×48 pixels as PNG; throws StudioError('not-found'), also when `imageKey`
   * is not the open catalogue's (ids restart at 1 in every project).
   */
  imagePng(imageKey: string, id: number): Promise<Buffer>;
  close(): Promise<void>;
}

const VERSION: string = JSON.parse(
  fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;

function isChannel(channel: string): channel is keyof typeof handlerSchemas {
  return Object.hasOwn(handlerSchemas, channel);
}

export function createStudio(options: StudioOptions): Studio {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const catalogue = openCatalogue(options.catalogPath);
  const listeners = new Set<StudioListener>();
  const emit: StudioListener = (event, payload) => {
    for (const listener of listeners) listener(event, payload);
  };
  const subscribe = (listener: StudioListener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  const runStore = createRunStore(catalogue.db);
  const runs = createRunManager({
    store: runStore,
    emit,
    backend: options.backend ?? 'auto',
  });
  const predict = createPredictHandlers(catalogue, runStore, emit, options.backend ?? 'auto');
  const evaluation = createEvaluation(catalogue.db, emit, { backend: options.backend ?? 'auto' });
  const handlers: Handlers = {
    'app-info': async () => ({
      mode: options.mode,
      version: VERSION,
      catalogPath: options.catalogPath,
      dataDir: options.dataDir,
      canPickFolder: Boolean(options.overrides?.['dialog-pick-folder']),
    }),
    'dialog-pick-folder': async () => {
      throw new StudioError(
        'unsupported',
        'There is no folder picker in browser mode: type the folder path.',
      );
    },
    'dialog-pick-model': async () => {
      throw new StudioError(
        'unsupported',
        'There is no file picker in browser mode: type the model file path.',
      );
    },
    ...createCatalogueHandlers(catalogue, artefactDirOf(options.catalogPath), emit),
    ...createTrainingHandlers(catalogue, runStore, runs),
    ...createRunEditHandlers(catalogue.db, runStore, runs),
    ...evaluation.handlers,
    ...createLabelHandlers(catalogue.db, emit),
    ...createCleaningHandlers(catalogue.db, async (runId) => {
      const open = await evaluation.handlers['label-issues']({
        runId,
        limit: 1,
        folds: 4,
      });
      return open.total;
    }),
    ...createExportHandlers(catalogue.db, runStore, emit),
    ...createModelImportHandlers(catalogue.db, runStore, options.backend ?? 'auto', emit),
    ...createReportHandlers(
      catalogue.db,
      runStore,
      emit,
      // Reports show the plain model's figures (what an export scores).
      (request) => evaluation.handlers['evaluation-run']({ ...request, tta: 'none' }),
      subscribe,
    ),
    ...predict.handlers,
    ...createSingleProjectHandlers(options.catalogPath),
    ...createImportsHandlers(catalogue.db, emit),
    ...options.overrides,
  };

  return {
    handlers,
    async dispatch(channel, payload) {
      try {
        if (!isChannel(channel))
          throw new StudioError('bad-request', `Unknown channel "${channel}".`);
        const parsed = handlerSchemas[channel].request.safeParse(payload ?? {});
        if (!parsed.success) {
          const issues = parsed.error.issues.map(
            (i) => `${i.path.join('.') || 'request'}: ${i.message}`,
          );
          throw new StudioError('bad-request', `Invalid ${channel} request: ${issues.join('; ')}`);
        }
        const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
        return { ok: true, result: await handler(parsed.data) };
      } catch (error) {
        return { ok: false, error: toErrorPayload(error) };
      }
    },
    subscribe,
    async imagePng(imageKey, id) {
      if (imageKey !== catalogue.imageKey)
        throw new StudioError('not-found', `Image ${id} belongs to a project that is not open.`);
      const pixels = catalogue.pixels(id);
      return Buffer.from(
        encodePng({ width: IMAGE_SIZE, height: IMAGE_SIZE, data: pixels, channels: 1, depth: 8 }),
      );
    },
    async close() {
      await runs.close();
      await evaluation.close();
      await predict.close();
      listeners.clear();
      catalogue.close();
    },
  };
}
