import { z } from 'zod';
import {
  appInfoSchema,
  imageDetailSchema,
  imageListSchema,
  importReportSchema,
  importRequestSchema,
  labelSchema,
  progressSchema,
  splitSchema,
  statsSchema,
} from './schemas.ts';
import { trainingEventSchemas, trainingHandlerSchemas } from './training.ts';
import { evaluationEventSchemas, evaluationHandlerSchemas } from './evaluation.ts';
import { exportEventSchemas, exportHandlerSchemas } from './export.ts';
import { reportHandlerSchemas } from './report.ts';
import { predictHandlerSchemas } from './predict.ts';
import { modelImportEventSchemas, modelImportHandlerSchemas } from './model-import.ts';
import { projectEventSchemas, projectHandlerSchemas } from './projects.ts';
import { importsHandlerSchemas } from './imports.ts';
import { runsEditHandlerSchemas } from './runs.ts';
import { cleaningHandlerSchemas } from './cleaning.ts';

const empty = z.object({}).strict();

/** Request → response, one entry per channel. Every transport (IPC, browser WebSocket, CLI) is derived from this map. */
export const handlerSchemas = {
  'app-info': { request: empty, response: appInfoSchema },
  'catalogue-stats': { request: empty, response: statsSchema },
  'catalogue-import': { request: importRequestSchema, response: importReportSchema },
  'catalogue-import-cancel': {
    request: z.object({ jobId: z.string() }),
    response: z.object({ cancelled: z.boolean() }),
  },
  'catalogue-sample': {
    request: z.object({
      perClass: z.number().int().min(2).max(2000).default(150),
      jobId: z.string().min(1).max(100).optional(),
    }),
    response: importReportSchema,
  },
  'catalogue-list': {
    request: z.object({ split: splitSchema.optional(), label: labelSchema.optional() }),
    response: imageListSchema,
  },
  'catalogue-image': {
    request: z.object({ id: z.number().int() }),
    response: imageDetailSchema,
  },
  'dialog-pick-folder': {
    request: empty,
    response: z.object({ folder: z.string().nullable() }),
  },
  /** A native picker for a model to import: .keras, .h5, or a TensorFlow.js model.json. */
  'dialog-pick-model': {
    request: empty,
    response: z.object({ path: z.string().nullable() }),
  },
  ...trainingHandlerSchemas,
  ...evaluationHandlerSchemas,
  ...exportHandlerSchemas,
  ...reportHandlerSchemas,
  ...predictHandlerSchemas,
  ...modelImportHandlerSchemas,
  ...projectHandlerSchemas,
  ...importsHandlerSchemas,
  ...runsEditHandlerSchemas,
  ...cleaningHandlerSchemas,
} as const;

/** Pushed progress and change notices. */
export const eventSchemas = {
  'catalogue-import-progress': progressSchema,
  'catalogue-changed': z.object({ reason: z.enum(['import', 'sample', 'relabel']) }),
  ...trainingEventSchemas,
  ...evaluationEventSchemas,
  ...exportEventSchemas,
  ...projectEventSchemas,
  ...modelImportEventSchemas,
} as const;

export type HandlerSchemas = typeof handlerSchemas;
export type Channel = keyof HandlerSchemas;
export type EventName = keyof typeof eventSchemas;

/** What a caller sends (defaults may be omitted). */
export type RequestOf<C extends Channel> = z.input<HandlerSchemas[C]['request']>;
/** What a handler receives after validation (defaults filled in). */
export type ParsedRequestOf<C extends Channel> = z.output<HandlerSchemas[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<HandlerSchemas[C]['response']>;
export type EventOf<E extends EventName> = z.output<(typeof eventSchemas)[E]>;

export type Handlers = { [C in Channel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> };

export const channels = Object.keys(handlerSchemas) as Channel[];
export const eventNames = Object.keys(eventSchemas) as EventName[];

export type Stats = ResponseOf<'catalogue-stats'>;
export type ImportReport = ResponseOf<'catalogue-import'>;
export type ImageDetail = ResponseOf<'catalogue-image'>;
export type ImageList = ResponseOf<'catalogue-list'>;
export type AppInfo = ResponseOf<'app-info'>;
export type ImportProgress = EventOf<'catalogue-import-progress'>;
export type RunSummary = ResponseOf<'runs-list'>['runs'][number];
export type RunDetail = ResponseOf<'run-get'>;
export type TrainingOptions = ResponseOf<'training-options'>;
export type BackendInfo = TrainingOptions['backend'];
export type Evaluation = ResponseOf<'evaluation-run'>;
export type LabelIssue = ResponseOf<'label-issues'>['issues'][number];
