/**
 * Copies of the contract's URL helpers: the renderer may import only types from app/.
 * tests/unit/renderer checks they produce the same strings as app/contract/transport.ts.
 */
export const ipcImageUrl = (imageKey: string, id: number): string =>
  `fer-image://image/${imageKey}/${id}.png`;

export const browserImagePath = (imageKey: string, id: number): string =>
  `/api/images/${imageKey}/${id}.png`;

export const BROWSER_SOCKET_PATH = '/api/ws';
