import path from 'node:path';
import { StudioError } from '../contract/errors.ts';

/**
 * Paths reach the core from a window (Electron or a browser) whose user cannot see the core's
 * working folder, so a relative path would silently land there: only full paths are taken. The CLI
 * resolves its arguments against the user's shell first, so it never hits this.
 */
export function requireFullPath(p: string, use: 'read' | 'write'): string {
  if (p === '' || path.isAbsolute(p)) return p;
  const where = use === 'read' ? 'be looked for in' : 'land in';
  throw new StudioError(
    'not-a-full-path',
    `"${p}" is not a full path. Type the whole path, starting with / (or a drive letter such as C:\\ on Windows); a partial path would ${where} the folder FER Studio was started from (${process.cwd()}).`,
  );
}
