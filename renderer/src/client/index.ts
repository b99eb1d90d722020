import type { StudioClient } from '../../../app/contract/index.ts';
import { createIpcClient } from './ipc-client.ts';
import { takeSessionToken } from './session-token.ts';
import { browserSocketUrl, createWsClient } from './ws-client.ts';

export { ClientError, errorCode, errorMessage } from './client-error.ts';
export type { ClientErrorCode } from './client-error.ts';

export interface ClientHooks {
  onConnectionChange?: (connected: boolean) => void;
}

/** Electron when the preload exposed `window.ferStudio`, else the browser-mode WebSocket. */
export function createClient(hooks: ClientHooks = {}): StudioClient {
  if (window.ferStudio) return createIpcClient(window.ferStudio);
  const token = takeSessionToken({
    location: window.location,
    storage: window.sessionStorage,
    history: window.history,
  });
  if (!token) {
    throw new Error(
      'This page needs a session token. Open the address printed by `fer-studio serve` (it ends in ?token=…).',
    );
  }
  return createWsClient({
    socketUrl: browserSocketUrl(window.location, token),
    token,
    ...(hooks.onConnectionChange ? { onConnectionChange: hooks.onConnectionChange } : {}),
  });
}
