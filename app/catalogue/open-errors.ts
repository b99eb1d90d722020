import { dirname } from 'node:path';
import { StudioError } from '../contract/errors.ts';

const READ_ONLY = /^(SQLITE_CANTOPEN|SQLITE_READONLY|SQLITE_PERM|SQLITE_AUTH|EACCES|EPERM|EROFS)/;

/**
 * Why a catalogue could not be opened, in words: SQLite says "unable to open database file" both
 * for a missing folder and for a folder it may not write (it needs to create the WAL beside it).
 */
export function explainOpenError(path: string, error: unknown): unknown {
  if (error instanceof StudioError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  if (/directory does not exist/.test(message))
    return new StudioError(
      'not-found',
      `The folder ${dirname(path)} does not exist (moved or deleted?), so the catalogue cannot be opened there.`,
    );
  if ((typeof code === 'string' && READ_ONLY.test(code)) || /readonly|read-only/i.test(message))
    return new StudioError(
      'read-only',
      `${path} cannot be written (a read-only disk or no permission). FER Studio writes to its catalogue as you work, so it opens only writable projects: copy the project folder somewhere writable and open the copy. Nothing was changed.`,
    );
  return error;
}
