import type { PreloadApi } from '../../app/contract/index.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    ferStudio?: PreloadApi;
  }
}
