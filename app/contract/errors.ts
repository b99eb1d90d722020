/** Error codes every transport carries unchanged, so the UI and CLI can show the same reason. */
export type ErrorCode =
  | 'bad-request'
  | 'not-found'
  | 'not-a-directory'
  | 'not-a-catalogue'
  /** A path from a window that is not absolute (it would resolve against the core's folder). */
  | 'not-a-full-path'
  /** An export target exists and the request did not ask to overwrite it (CLI: --force). */
  | 'already-exists'
  | 'catalogue-too-new'
  /** A folder that is neither a FER Studio project nor empty. */
  | 'not-a-project'
  /** Outside what this mode may open (browser mode: outside its data directory). */
  | 'forbidden'
  /** The project's files cannot be written (read-only disk or permissions). */
  | 'read-only'
  | 'busy'
  | 'cancelled'
  | 'unsupported'
  | 'training-failed'
  | 'internal'
  /** Client-side: the connection to the core was lost before the reply came. */
  | 'disconnected';

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
}

export class StudioError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'StudioError';
    this.code = code;
  }
}

export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof StudioError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message };
}
