import { app, BrowserWindow, dialog, ipcMain, net, protocol, session } from 'electron';
import { join } from 'node:path';
import { IMAGE_PROTOCOL } from '../app/contract/transport.ts';
import { createProjectStudio } from '../app/project/project-studio.ts';
import type { Studio } from '../app/studio.ts';
import { APP_SCHEME, APP_URL, createAppProtocolHandler, isAppUrl } from './app-protocol.ts';
import { forwardEvents } from './events.ts';
import { allowCameraForApp, applyCspHeader, hardenWebContents } from './harden.ts';
import { createImageProtocolHandler } from './image-protocol.ts';
import { wireIpc } from './ipc.ts';
import { createPickFolder, createPickModel } from './pick-folder.ts';
import { closeStudioOnQuit } from './quit.ts';
import { PRIVILEGED_SCHEMES } from './schemes.ts';
import { contentSecurityPolicy, mainWindowOptions } from './window-options.ts';

// Composition only: every decision lives in a small module next to this one.
const here = import.meta.dirname;
const devUrl = process.env['ELECTRON_RENDERER_URL'] ?? null;
const devOrigin = devUrl === null ? null : new URL(devUrl).origin;
const isOwnUrl = (url: string) => isAppUrl(url, devOrigin);

protocol.registerSchemesAsPrivileged(PRIVILEGED_SCHEMES);
// Lets each E2E run (or a second profile) use its own catalogue; must be set before ready.
const userDataOverride = process.env['FER_STUDIO_USER_DATA'];
if (userDataOverride) app.setPath('userData', userDataOverride);

function createWindow(): BrowserWindow {
  const options = mainWindowOptions({
    preloadPath: join(here, '../preload/index.cjs'),
    iconPath: join(here, '../../resources/icon.png'),
  });
  // The switches Electronegativity checks are spelled out where the window is made, so the scan
  // sees them (they equal secureWebPreferences(), which the unit tests pin).
  const window = new BrowserWindow({
    ...options,
    webPreferences: {
      ...options.webPreferences,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(devUrl ?? APP_URL);
  return window;
}

async function start(): Promise<void> {
  await app.whenReady();
  const userData = app.getPath('userData');
  // Starts on the project opened last (an older userData layout moves into projects/default first).
  const studio: Studio = createProjectStudio({
    dataDir: userData,
    mode: 'electron',
    overrides: {
      'dialog-pick-folder': createPickFolder(dialog, () => BrowserWindow.getFocusedWindow()),
      'dialog-pick-model': createPickModel(dialog, () => BrowserWindow.getFocusedWindow()),
    },
  });
  closeStudioOnQuit(app, studio);

  allowCameraForApp(session.defaultSession, isOwnUrl);
  if (devOrigin !== null) {
    applyCspHeader(session.defaultSession, isOwnUrl, contentSecurityPolicy('development'));
  }
  protocol.handle(APP_SCHEME, createAppProtocolHandler(join(here, '../renderer'), net.fetch));
  protocol.handle(IMAGE_PROTOCOL, createImageProtocolHandler(studio));
  wireIpc(ipcMain, studio, isOwnUrl);
  forwardEvents(studio, () => BrowserWindow.getAllWindows().map((window) => window.webContents));

  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

// One instance per user: two processes writing the same catalogue would race.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, isOwnUrl));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  start().catch((error: unknown) => {
    dialog.showErrorBox('FER Studio could not start', String(error));
    app.exit(1);
  });
}
