import { constants } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { StudioError } from '../contract/errors.ts';
import { nodeFs, type FileSystem } from '../training/fs-io.ts';

export type { FileSystem };
export { nodeFs };

/** Whether anything (file, directory, link) exists at `path`. */
export async function exists(path: string): Promise<boolean> {
  try {
    await fsp.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Fails with a plain-words message before any work starts, so a long export never dies at the end. */
export async function checkTargets(targets: string[], force: boolean): Promise<void> {
  for (const target of targets) {
    if (!force && (await exists(target))) {
      throw new StudioError(
        'already-exists',
        `${target} already exists. Choose another name, or overwrite it.`,
      );
    }
  }
  const parents = [...new Set(targets.map((t) => dirname(t)))];
  for (const parent of parents) {
    let stat;
    try {
      stat = await fsp.stat(parent);
    } catch {
      throw new StudioError(
        'not-found',
        `The folder ${parent} does not exist. Create it first, or choose another folder.`,
      );
    }
    if (!stat.isDirectory())
      throw new StudioError('not-a-directory', `${parent} is a file, not a folder.`);
    try {
      await fsp.access(parent, constants.W_OK);
    } catch {
      throw new StudioError(
        'read-only',
        `FER Studio may not write into ${parent} (read-only, or no permission).`,
      );
    }
  }
}

function tempBeside(target: string): string {
  return join(dirname(target), `.${basename(target)}.tmp-${randomBytes(4).toString('hex')}`);
}

function writeFailed(target: string, err: unknown): StudioError {
  if (err instanceof StudioError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new StudioError('internal', `Could not write ${target}: ${reason}`);
}

/** Writes a file beside the target and renames it last, so a crash never leaves a half-written export. */
export async function writeFileAtomic(
  target: string,
  data: Uint8Array | string,
  fs: FileSystem = nodeFs,
): Promise<void> {
  const temp = tempBeside(target);
  try {
    await fs.writeFile(temp, data);
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw writeFailed(target, err);
  }
}

/**
 * Fills a fresh temp directory beside the target, then swaps it in; an old target (force) is moved
 * aside first and removed only after the new one is in place.
 */
export async function writeDirAtomic(
  target: string,
  fill: (dir: string) => Promise<void>,
  fs: FileSystem = nodeFs,
): Promise<void> {
  const temp = tempBeside(target);
  const old = `${temp}.old`;
  let movedOld = false;
  try {
    await fs.mkdir(temp, { recursive: true });
    await fill(temp);
    if (await exists(target)) {
      await fs.rename(target, old);
      movedOld = true;
    }
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { recursive: true, force: true }).catch(() => undefined);
    if (movedOld && !(await exists(target))) await fs.rename(old, target).catch(() => undefined);
    throw writeFailed(target, err);
  }
  if (movedOld) await fs.rm(old, { recursive: true, force: true });
}
