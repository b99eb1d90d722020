import { z } from 'zod';

/** A project: a folder holding `catalogue.sqlite`, its runs and everything else written for it. */
export const projectSchema = z.object({
  /** The project folder (absolute); for a bare `--catalog x.sqlite`, the catalogue file itself. */
  dir: z.string(),
  catalogPath: z.string(),
  name: z.string(),
  /** Null when the catalogue could not be read; `problem` says why. */
  images: z.number().int().nullable(),
  runs: z.number().int().nullable(),
  /** When this studio last opened it (ISO time); null if never. */
  openedAt: z.string().nullable(),
  /** The built-in synthetic sample: its own project, never imported into another. */
  isSample: z.boolean(),
  problem: z.string().nullable(),
  /**
   * The catalogue's random key, part of every image URL so no cache can mix two projects' image 1;
   * null when the catalogue does not exist yet or predates keys (it gets one when opened).
   */
  imageKey: z.string().nullable(),
});

const projectName = z.string().trim().min(1).max(80);

export const projectHandlerSchemas = {
  /** The open project and the known ones (browser mode: only those under the data directory), most recent first. */
  'project-list': {
    request: z.object({}).strict(),
    response: z.object({ current: projectSchema, projects: z.array(projectSchema) }),
  },
  /** Closes the open project and opens the folder `dir` (which must be a project). */
  'project-open': { request: z.object({ dir: z.string().min(1) }), response: projectSchema },
  /** A new empty project under the data directory's `projects/`, opened; names are unique. */
  'project-create': { request: z.object({ name: projectName }), response: projectSchema },
  /** Renames a project (its `project.json`); the folder keeps its place so paths stay valid. */
  'project-rename': {
    request: z.object({ dir: z.string().min(1), name: projectName }),
    response: projectSchema,
  },
  /**
   * Deletes a project folder with every file in it (catalogue, runs, models). Never the open
   * project, nor a folder that is not a project or holds another catalogue.
   */
  'project-delete': {
    request: z.object({ dir: z.string().min(1) }),
    response: z.object({ deleted: z.string() }),
  },
} as const;

export const projectEventSchemas = {
  /** Another project is open now: every page reloads its data. */
  'project-changed': z.object({ project: projectSchema }),
} as const;
