/**
 * Copies of the contract's URL helpers: the renderer may import only types from app/.
 * tests/unit/renderer checks they produce the same strings as app/contract/transport.ts.
 */
export const ipcImageUrl = (id: number): string => `fer-image://image/${id}.png`;

export const browserImagePath = (id: number): string => `/api/images/${id}.png`;

export const BROWSER_SOCKET_PATH = '/api/ws';
