import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { IMAGE_PROTOCOL } from '../app/contract/transport.ts';

export type CspMode = 'production' | 'development';

/**
 * The app pages' Content-Security-Policy, sent as a response header.
 * Development relaxes only what Vite's dev server needs (the React refresh preamble is inline, HMR uses a WebSocket).
 */
export function contentSecurityPolicy(mode: CspMode): string {
  const dev = mode === 'development';
  const directives = [
    "default-src 'self'",
    `img-src 'self' data: ${IMAGE_PROTOCOL}:`,
    dev ? "connect-src 'self' ws://localhost:*" : "connect-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ];
  return directives.join('; ');
}

/** The renderer gets no Node, no remote content and no escape hatches; it talks to main only through the preload. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    // A middle-click on a link would otherwise ask for a new window (denied anyway in harden.ts).
    disableBlinkFeatures: 'Auxclick',
  };
}

export interface WindowPaths {
  preloadPath: string;
  iconPath: string;
}

export function mainWindowOptions(paths: WindowPaths): BrowserWindowConstructorOptions {
  return {
    title: 'FER Studio',
    width: 1280,
    height: 840,
    minWidth: 900,
    minHeight: 600,
    // Shown on ready-to-show, so the user never sees an unstyled flash.
    show: false,
    backgroundColor: '#111418',
    icon: paths.iconPath,
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(paths.preloadPath),
  };
}
