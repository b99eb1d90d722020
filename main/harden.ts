import type { Session, WebContents } from 'electron';

type Hardenable = Pick<WebContents, 'setWindowOpenHandler' | 'on'>;

/** No popups, no webviews, no navigation away from the app (a compromised page cannot leave the sandboxed origin). */
export function hardenWebContents(contents: Hardenable, isAppUrl: (url: string) => boolean): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * The camera (video only) for the Predict page's webcam, granted only to the app's own pages;
 * microphone, notifications, geolocation and everything else stay denied, for any page.
 */
export function allowCameraForApp(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
  isAppUrl: (url: string) => boolean,
): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const media = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    const videoOnly = media.length > 0 && media.every((type) => type === 'video');
    callback(permission === 'media' && videoOnly && isAppUrl(details.requestingUrl));
  });
  session.setPermissionCheckHandler(
    (_contents, permission, requestingOrigin, details) =>
      permission === 'media' &&
      (details.mediaType === undefined || details.mediaType === 'video') &&
      isAppUrl(details.requestingUrl ?? requestingOrigin),
  );
}

/** Dev server pages get their CSP from a header too (the app scheme adds its own in production). */
export function applyCspHeader(
  session: Pick<Session, 'webRequest'>,
  isAppUrl: (url: string) => boolean,
  csp: string,
): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url)) {
      callback({});
      return;
    }
    // Electronegativity cannot parse a policy held in a variable (CSP_GLOBAL_CHECK, "failed to
    // parse"): it is contentSecurityPolicy() in window-options.ts, checked in its unit test.
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] }, // eng-disable CSP_GLOBAL_CHECK
    });
  });
}
