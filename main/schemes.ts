import type { CustomScheme } from 'electron';
import { IMAGE_PROTOCOL } from '../app/contract/transport.ts';
import { APP_SCHEME } from './app-protocol.ts';

/**
 * Must be registered before `app` is ready, in a single call (a second call replaces the first).
 * `standard` gives the schemes real origins; `secure` keeps them from being treated as mixed content.
 */
export const PRIVILEGED_SCHEMES: CustomScheme[] = [
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
  },
  {
    scheme: IMAGE_PROTOCOL,
    privileges: { standard: true, secure: true, supportFetchAPI: true },
  },
];
