import { randomBytes, timingSafeEqual } from 'node:crypto';
import path from 'node:path';

export function createToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time comparison so the token cannot be guessed byte by byte from response times. */
export function checkToken(provided: string | null | undefined, expected: string): boolean {
  if (!provided) return false;
  const a = Buffer.from(provided);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token from `?token=` or `Authorization: Bearer …`. */
export function tokenFromRequest(url: URL, authorization: string | undefined): string | null {
  const query = url.searchParams.get('token');
  if (query) return query;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match?.[1] ?? null;
}

/** Only loopback names: a page on another site that rebinds its DNS to 127.0.0.1 is refused. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return ['127.0.0.1', 'localhost', '[::1]'].some((name) => host === `${name}:${port}`);
}

/** WebSocket upgrades must come from the studio's own page (browsers always send Origin). */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true; // non-browser clients (CLI, tests) carry the token instead
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && isAllowedHost(url.host, port);
  } catch {
    return false;
  }
}

/** Maps a URL path into `root`; null for anything that would leave it. */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const resolved = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  const base = path.resolve(root);
  return resolved === base || resolved.startsWith(base + path.sep) ? resolved : null;
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
