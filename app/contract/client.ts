import type { Channel, EventName, EventOf, RequestOf, ResponseOf } from './handlers.ts';

/** The one interface the renderer talks to; it does not know which transport is behind it. */
export interface StudioClient {
  /** Rejects with a `ClientError` carrying the server's error code. */
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** Returns an unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
  /**
   * A URL the renderer can put in `<img src>` for an image's 48×48 pixels (PNG); `imageKey` is the
   * open project's (projectSchema.imageKey), so one project's image never answers for another's.
   */
  imageUrl(imageKey: string, id: number): string;
}
