import { channels, eventNames } from '../app/contract/handlers.ts';
import type { Channel, EventName, EventOf } from '../app/contract/handlers.ts';
import type { PreloadApi } from '../app/contract/transport.ts';

export type Invoke = (channel: Channel, request: unknown) => Promise<unknown>;
export type IpcListener = (event: unknown, payload: unknown) => void;
export type Listen = (event: EventName, listener: IpcListener) => void;

/**
 * `window.ferStudio`: one named function per contract channel and a subscribe limited to contract events.
 * Built from injected invoke/on/off so it can be tested without Electron and never leaks ipcRenderer.
 */
export function buildPreloadApi(invoke: Invoke, on: Listen, off: Listen): PreloadApi {
  const handlers = Object.fromEntries(
    channels.map((channel) => [channel, (request: unknown) => invoke(channel, request)]),
  ) as unknown as PreloadApi['handlers'];
  const known = new Set<string>(eventNames);
  const subscribe = <E extends EventName>(event: E, listener: (payload: EventOf<E>) => void) => {
    if (!known.has(event)) throw new Error(`Unknown event: ${String(event)}`);
    if (typeof listener !== 'function') throw new Error('subscribe needs a listener function');
    // Drop the IpcRendererEvent: it carries `sender` (the ipcRenderer) and must not reach the page.
    const relay: IpcListener = (_event, payload) => listener(payload as EventOf<E>);
    on(event, relay);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      off(event, relay);
    };
  };
  return Object.freeze({ handlers: Object.freeze(handlers), subscribe });
}
