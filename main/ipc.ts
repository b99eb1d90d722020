import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { channels } from '../app/contract/handlers.ts';
import type { Reply } from '../app/contract/transport.ts';
import type { Studio } from '../app/studio.ts';

type IpcRegistry = Pick<IpcMain, 'handle' | 'removeHandler'>;

const untrusted: Reply<never> = {
  ok: false,
  error: { code: 'bad-request', message: 'IPC request from a page that is not the app' },
};

/**
 * One `ipcMain.handle` per contract channel; each only relays to `studio.dispatch`, which validates and never throws.
 * Returns a function that removes the handlers again.
 */
export function wireIpc(
  ipcMain: IpcRegistry,
  studio: Pick<Studio, 'dispatch'>,
  isTrustedUrl: (url: string) => boolean = () => true,
): () => void {
  for (const channel of channels) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, payload: unknown) => {
      // Only the app's own frames may call in; a navigated-away or embedded frame gets an error reply.
      const senderUrl = event.senderFrame?.url ?? '';
      if (!isTrustedUrl(senderUrl)) return Promise.resolve(untrusted);
      return studio.dispatch(channel, payload);
    });
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
