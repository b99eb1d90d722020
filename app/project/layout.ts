import path from 'node:path';

/** The catalogue file inside a project folder. */
export const CATALOGUE_FILE = 'catalogue.sqlite';
/** A project's run folders (checkpoints, final models): `runs/run-<id>`. */
export const RUNS_DIR = 'runs';
/** Suffix of the artefact folder beside a catalogue file that is not a project's `catalogue.sqlite`. */
export const ARTEFACT_SUFFIX = '.studio';

/**
 * The one folder that holds every file the studio writes for a catalogue (runs, sample images).
 * A project's `catalogue.sqlite` owns its own folder; any other catalogue file `x.sqlite` owns the
 * sibling `x.sqlite.studio/`, named after the whole file name so two catalogues never share one.
 */
export function artefactDirOf(catalogPath: string): string {
  const file = path.resolve(catalogPath);
  return path.basename(file) === CATALOGUE_FILE ? path.dirname(file) : `${file}${ARTEFACT_SUFFIX}`;
}

/** The folder of run `runId`, relative to its catalogue's artefact folder (what the runs table stores). */
export function relativeRunDir(runId: number): string {
  return `${RUNS_DIR}/run-${runId}`;
}

/**
 * A stored path made absolute: relative ones (new layout) resolve against the artefact folder, so a
 * moved or copied project keeps working; absolute ones (older catalogues) are kept as they are.
 */
export function resolveStored(artefactDir: string, stored: string): string {
  return path.resolve(artefactDir, stored);
}

/** A path to store: relative when it lies inside the artefact folder, else absolute. */
export function toStored(artefactDir: string, absolute: string): string {
  const relative = path.relative(artefactDir, path.resolve(absolute));
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  return inside ? relative.split(path.sep).join('/') : path.resolve(absolute);
}
