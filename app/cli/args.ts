import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { parseArgs } from 'node:util';
import { StudioError } from '../contract/errors.ts';
import type { Channel, RequestOf, ResponseOf } from '../contract/handlers.ts';
import { createStudio, type Studio } from '../studio.ts';
import { CATALOGUE_FILE } from '../project/layout.ts';
import { defaultProjectDir, migrateLegacyLayout } from '../project/legacy.ts';
import { createProjectStudio } from '../project/project-studio.ts';
import { assertProjectFolder } from '../project/registry.ts';

/** The training recipe's flags (`fer-studio train`; npm run bench:accuracy takes them too). */
export const RECIPE_OPTIONS = {
  model: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  optimizer: { type: 'string' },
  momentum: { type: 'string' },
  'weight-decay': { type: 'string' },
  schedule: { type: 'string' },
  warmup: { type: 'string' },
  crop: { type: 'string' },
  padding: { type: 'string' },
  'label-smoothing': { type: 'string' },
  dropout: { type: 'string' },
  'no-early-stop': { type: 'boolean', default: false },
  'recalibrate-bn': { type: 'boolean', default: false },
  'no-recalibrate-bn': { type: 'boolean', default: false },
  /** Also import's and sample's: the test split's and the sample set's seed. */
  seed: { type: 'string' },
} as const;

/** Every flag of every command: one parse, so an unknown flag is refused before anything runs. */
export const OPTIONS = {
  ...RECIPE_OPTIONS,
  catalog: { type: 'string' },
  project: { type: 'string' },
  name: { type: 'string' },
  'data-dir': { type: 'string' },
  'test-fraction': { type: 'string' },
  'per-class': { type: 'string' },
  port: { type: 'string' },
  tta: { type: 'string' },
  backend: { type: 'string' },
  resume: { type: 'string' },
  host: { type: 'string' },
  run: { type: 'string' },
  split: { type: 'string' },
  label: { type: 'string' },
  image: { type: 'string' },
  limit: { type: 'string' },
  folds: { type: 'string' },
  method: { type: 'string' },
  reading: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean', default: false },
  /** project-delete: yes, delete it. */
  yes: { type: 'boolean', default: false },
  /** export-dataset / report: list every relabel, undo and redo, not only net label changes. */
  churn: { type: 'boolean', default: false },
  annotate: { type: 'string' },
  'no-detect': { type: 'boolean', default: false },
  'input-range': { type: 'string' },
  classes: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Bad command-line input: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

export type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

/** What a command gets: its name, the positionals after it, the flags, and the --json switch. */
export interface CommandContext {
  command: string;
  rest: string[];
  values: Values;
  /** Prints `value` as one JSON line with --json, else runs `human`. */
  out: (value: unknown, human: () => void) => void;
}

export type Command = (context: CommandContext) => Promise<number>;

type NumberOption =
  | 'test-fraction'
  | 'seed'
  | 'per-class'
  | 'port'
  | 'epochs'
  | 'batch-size'
  | 'lr'
  | 'momentum'
  | 'weight-decay'
  | 'warmup'
  | 'crop'
  | 'padding'
  | 'label-smoothing'
  | 'dropout'
  | 'resume'
  | 'run'
  | 'image'
  | 'limit'
  | 'folds';

/** The recipe flags' values, from the CLI's parse or a bench script's. */
export type RecipeValues = Pick<Values, keyof typeof RECIPE_OPTIONS>;

export function requiredNumber(values: Values, name: NumberOption, command: string): number {
  const value = numberOption(values, name);
  if (value === undefined) throw new UsageError(`${command} needs --${name} <number>.`);
  return value;
}

export function numberOption<K extends NumberOption>(
  values: Pick<Values, K>,
  name: K,
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new UsageError(`--${name} must be a number, got "${raw}".`);
  return value;
}

export function dataDirOf(values: Values): string {
  return path.resolve(
    values['data-dir'] ?? process.env.FER_STUDIO_DATA ?? path.join(os.homedir(), '.fer-studio'),
  );
}

/** The catalogue `--catalog FILE` or `--project DIR` names; null when neither is given. */
function chosenCatalogue(values: Values): string | null {
  if (values.catalog && values.project)
    throw new UsageError('Give --catalog <file.sqlite> or --project <folder>, not both.');
  if (values.project) {
    const dir = path.resolve(values.project);
    // A new or empty folder becomes a project; a folder of other things is refused.
    assertProjectFolder(dir);
    fs.mkdirSync(dir, { recursive: true });
    return path.join(dir, CATALOGUE_FILE);
  }
  return values.catalog ? path.resolve(values.catalog) : null;
}

export function openStudio(values: Values, requireCatalog: boolean): Studio {
  const dataDir = dataDirOf(values);
  const chosen = chosenCatalogue(values);
  if (requireCatalog && !chosen)
    throw new UsageError('--catalog <file.sqlite> or --project <folder> is required.');
  if (chosen) return createStudio({ catalogPath: chosen, dataDir, mode: 'browser' });
  // The default project: an older data directory's catalogue and runs move into it first.
  migrateLegacyLayout(dataDir);
  const catalogPath = path.join(defaultProjectDir(dataDir), CATALOGUE_FILE);
  return createStudio({ catalogPath, dataDir, mode: 'browser' });
}

/**
 * The studio with projects: starts on the chosen catalogue or the last project. `serve` keeps the
 * browser to the data directory; the other commands are the local user's own explicit choice.
 */
export function openProjectStudio(values: Values, onlyUnderDataDir: boolean): Studio {
  const chosen = chosenCatalogue(values);
  return createProjectStudio({
    dataDir: dataDirOf(values),
    mode: 'browser',
    onlyUnderDataDir,
    ...(chosen ? { catalogPath: chosen } : {}),
  });
}

/** Opens the catalogue for one command and closes it however the command ends. */
export async function withStudio(
  values: Values,
  body: (studio: Studio) => Promise<number>,
): Promise<number> {
  const studio = openStudio(values, true);
  try {
    return await body(studio);
  } finally {
    await studio.close();
  }
}

/** One channel through the same dispatch as IPC and HTTP; a failed reply throws its StudioError. */
export async function call<C extends Channel>(
  studio: Studio,
  channel: C,
  request: RequestOf<C>,
): Promise<ResponseOf<C>> {
  const reply = await studio.dispatch(channel, request);
  if (!reply.ok) throw new StudioError(reply.error.code, reply.error.message);
  return reply.result as ResponseOf<C>;
}
