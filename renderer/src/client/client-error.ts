import type { ErrorCode } from '../../../app/contract/index.ts';

/** `disconnected` is the only code made on this side: the transport dropped before a reply came. */
export type ClientErrorCode = ErrorCode | 'disconnected';

/** What every client rejects with, so the UI can branch on the server's error code. */
export class ClientError extends Error {
  readonly code: ClientErrorCode;
  constructor(code: ClientErrorCode, message: string) {
    super(message);
    this.name = 'ClientError';
    this.code = code;
  }
}

export function errorCode(error: unknown): ClientErrorCode {
  return error instanceof ClientError ? error.code : 'internal';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
