// Stands in for `electron` when the built main bundle runs under plain Node (see bundle.test.ts).
/* global process, console, Response */
const appListeners = new Map();
const windows = [];
export const ipcHandlers = new Map();
export const protocolHandlers = new Map();
export const schemes = [];

export const app = {
  whenReady: () => Promise.resolve(),
  getPath: () => process.env.FAKE_USER_DATA,
  setPath: () => {},
  on: (event, listener) => appListeners.set(event, listener),
  quit: () => appListeners.get('fake-quit')?.(),
  exit: (code) => process.exit(code),
  requestSingleInstanceLock: () => true,
  emit: (event, ...args) => appListeners.get(event)?.(...args),
};

export class BrowserWindow {
  constructor(options) {
    this.options = options;
    this.sent = [];
    this.webContents = {
      send: (event, payload) => this.sent.push([event, payload]),
      isDestroyed: () => false,
    };
    windows.push(this);
  }
  once() {}
  loadURL(url) {
    this.url = url;
    return Promise.resolve();
  }
  static getAllWindows() {
    return windows;
  }
  static getFocusedWindow() {
    return null;
  }
}

export const dialog = {
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showErrorBox: (title, message) => console.error(title, message),
};
export const ipcMain = {
  handle: (channel, listener) => ipcHandlers.set(channel, listener),
  removeHandler: () => {},
};
// Electron's net.fetch reads file: URLs; Node's fetch does not.
export const net = {
  fetch: async (url) => {
    const { readFile } = await import('node:fs/promises');
    const { fileURLToPath } = await import('node:url');
    return new Response(await readFile(fileURLToPath(url)));
  },
};
export const protocol = {
  registerSchemesAsPrivileged: (list) => schemes.push(...list),
  handle: (scheme, handler) => protocolHandlers.set(scheme, handler),
};
const noop = () => {};
export const session = {
  defaultSession: {
    setPermissionRequestHandler: noop,
    setPermissionCheckHandler: noop,
    webRequest: { onHeadersReceived: noop },
  },
};
