import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contentSecurityPolicy } from './window-options.ts';

/**
 * The renderer is served from a privileged custom scheme rather than file://, so the page has a real
 * origin ('self' means only the app), cannot read arbitrary files, and gets its CSP as a response header.
 */
export const APP_SCHEME = 'fer-app';
export const APP_HOST = 'studio';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** True for URLs that belong to the app: its own scheme and host, or the Vite dev server's origin. */
export function isAppUrl(url: string, devOrigin: string | null = null): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // Node's URL reports origin "null" for non-special schemes, so compare scheme and host instead.
  if (parsed.protocol === `${APP_SCHEME}:`) return parsed.host === APP_HOST;
  return devOrigin !== null && parsed.origin === devOrigin;
}

/** Maps an app URL to a file under `rootDir`, or null when the URL is malformed or would escape the root. */
export function resolveAppAsset(rootDir: string, url: string): string | null {
  const prefix = `${APP_SCHEME}://${APP_HOST}/`;
  if (!url.startsWith(prefix)) return null;
  const rawPath = url.slice(prefix.length).split(/[?#]/, 1)[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/');
  if (segments.some((segment) => segment === '..' || segment === '.')) return null;
  const relativePath = decoded === '' ? 'index.html' : decoded;
  const file = normalize(join(rootDir, relativePath));
  const fromRoot = relative(rootDir, file);
  if (
    fromRoot === '' ||
    fromRoot.startsWith(`..${sep}`) ||
    fromRoot === '..' ||
    isAbsolute(fromRoot)
  ) {
    return null;
  }
  return file;
}

export type FetchFile = (fileUrl: string) => Promise<Response>;

/** `protocol.handle` callback for the app scheme: static files from `rootDir`, each with the strict CSP. */
export function createAppProtocolHandler(
  rootDir: string,
  fetchFile: FetchFile,
): (request: Request) => Promise<Response> {
  const csp = contentSecurityPolicy('production');
  return async (request) => {
    const file = resolveAppAsset(rootDir, request.url);
    if (file === null) return new Response('Bad request', { status: 400 });
    let upstream: Response;
    try {
      upstream = await fetchFile(pathToFileURL(file).href);
    } catch {
      return new Response('Not found', { status: 404 });
    }
    if (!upstream.ok) return new Response('Not found', { status: 404 });
    const headers = new Headers(upstream.headers);
    headers.set('Content-Security-Policy', csp);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(upstream.body, { status: 200, headers });
  };
}
