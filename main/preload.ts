import { contextBridge, ipcRenderer } from 'electron';
import { buildPreloadApi } from './preload-api.ts';

// Sandboxed preload: bundled into one CommonJS file by electron-vite, so only `electron` is required at runtime.
const api = buildPreloadApi(
  (channel, request) => ipcRenderer.invoke(channel, request),
  (event, listener) => {
    ipcRenderer.on(event, listener);
  },
  (event, listener) => {
    ipcRenderer.removeListener(event, listener);
  },
);

contextBridge.exposeInMainWorld('ferStudio', api);
