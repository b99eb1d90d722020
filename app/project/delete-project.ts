import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../contract/errors.ts';
import { CATALOGUE_FILE } from './layout.ts';
import { projectInfo, readRecents, writeRecents, type ProjectInfo } from './registry.ts';

/** Another catalogue anywhere below `dir` (a project kept inside this one), if any. */
function nestedCatalogue(dir: string): string | null {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && entry.name.endsWith('.sqlite') && full !== path.join(dir, CATALOGUE_FILE))
      return full;
  }
  return null;
}

/**
 * Deletes a project folder and everything in it (catalogue, runs, models, sample images), then
 * forgets it. Refused for the open project, for anything that is not a project folder, and for a
 * folder that holds another catalogue: nothing of another project may go with it.
 */
export function deleteProject(
  dataDir: string,
  dir: string,
  openCatalogue: string | null,
): ProjectInfo {
  const target = path.resolve(dir);
  const catalogPath = path.join(target, CATALOGUE_FILE);
  if (!fs.existsSync(catalogPath))
    throw new StudioError(
      fs.existsSync(target) ? 'not-a-project' : 'not-found',
      fs.existsSync(target)
        ? `${target} is not a FER Studio project folder (no ${CATALOGUE_FILE} in it); nothing was deleted.`
        : `${target} does not exist; nothing was deleted.`,
    );
  if (openCatalogue !== null && path.resolve(openCatalogue) === catalogPath)
    throw new StudioError(
      'busy',
      `"${projectInfo(catalogPath).name}" is the open project; open another project first, then delete it.`,
    );
  const nested = nestedCatalogue(target);
  if (nested)
    throw new StudioError(
      'bad-request',
      `${target} also holds another catalogue (${nested}); move it out first. Nothing was deleted.`,
    );
  const info = projectInfo(catalogPath);
  fs.rmSync(target, { recursive: true, force: true });
  writeRecents(
    dataDir,
    readRecents(dataDir).filter((r) => r.catalogPath !== catalogPath),
  );
  return info;
}
