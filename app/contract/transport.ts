import type { Channel, EventName, EventOf, RequestOf, ResponseOf } from './handlers.ts';
import type { ErrorPayload } from './errors.ts';

/** Every reply carries an envelope so error codes survive IPC and WebSocket alike. */
export type Reply<T> = { ok: true; result: T } | { ok: false; error: ErrorPayload };

/** Browser mode: messages on the WebSocket at `/api/ws?token=…`. Requests carry a sequence number for the reply. */
export type ClientMessage = {
  [C in Channel]: { type: 'request'; seq: number; channel: C; payload: RequestOf<C> };
}[Channel];

export type ServerMessage =
  | ({ type: 'response'; seq: number } & Reply<ResponseOf<Channel>>)
  | { [E in EventName]: { type: 'event'; event: E; payload: EventOf<E> } }[EventName];

/** Browser mode HTTP routes; all under /api need the session token (`?token=` or `Authorization: Bearer`). */
export const BROWSER_ROUTES = {
  socket: '/api/ws',
  /** `imageKey`: the open project's (projectSchema.imageKey); another project's key gets 404. */
  image: (imageKey: string, id: number) => `/api/images/${imageKey}/${id}.png`,
} as const;

/** Electron: the custom protocol that serves image pixels as PNG. */
export const IMAGE_PROTOCOL = 'fer-image';
export const ipcImageUrl = (imageKey: string, id: number) =>
  `${IMAGE_PROTOCOL}://image/${imageKey}/${id}.png`;

/** What the preload exposes on `window.ferStudio` (named functions only, never ipcRenderer). */
export interface PreloadApi {
  handlers: { [C in Channel]: (request: RequestOf<C>) => Promise<Reply<ResponseOf<C>>> };
  subscribe<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}
