import type {
  Channel,
  EventName,
  EventOf,
  PreloadApi,
  Reply,
  RequestOf,
  ResponseOf,
  StudioClient,
} from '../../../app/contract/index.ts';
import { ClientError } from './client-error.ts';
import { ipcImageUrl } from './image-url.ts';

/** Electron: the preload's named functions already speak the contract; only unwrap the reply envelope. */
export function createIpcClient(api: PreloadApi): StudioClient {
  return {
    async invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
      const handler = api.handlers[channel] as (
        request: RequestOf<C>,
      ) => Promise<Reply<ResponseOf<C>>>;
      if (typeof handler !== 'function') {
        throw new ClientError('bad-request', `Unknown channel "${channel}"`);
      }
      const reply = await handler(request);
      if (reply.ok) return reply.result;
      throw new ClientError(reply.error.code, reply.error.message);
    },
    on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
      return api.subscribe(event, listener);
    },
    imageUrl: ipcImageUrl,
  };
}
