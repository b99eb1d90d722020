import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkToken,
  createToken,
  isAllowedHost,
  isAllowedOrigin,
  resolveStaticPath,
  tokenFromRequest,
} from '../../../app/server/security.ts';

describe('session token', () => {
  it('accepts only the exact token', () => {
    const token = createToken();
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(createToken()).not.toBe(token);
    expect(checkToken(token, token)).toBe(true);
    expect(checkToken(`${token}x`, token)).toBe(false);
    expect(checkToken(token.slice(0, -1), token)).toBe(false);
    expect(checkToken('', token)).toBe(false);
    expect(checkToken(null, token)).toBe(false);
    expect(checkToken(undefined, token)).toBe(false);
  });

  it('reads the token from the query or a bearer header', () => {
    expect(tokenFromRequest(new URL('http://h/api/ws?token=abc'), undefined)).toBe('abc');
    expect(tokenFromRequest(new URL('http://h/api/ws'), 'Bearer xyz')).toBe('xyz');
    expect(tokenFromRequest(new URL('http://h/api/ws'), 'Basic xyz')).toBeNull();
    expect(tokenFromRequest(new URL('http://h/api/ws'), undefined)).toBeNull();
  });
});

describe('host and origin checks', () => {
  it('allows loopback names on the server port only', () => {
    expect(isAllowedHost('127.0.0.1:4000', 4000)).toBe(true);
    expect(isAllowedHost('localhost:4000', 4000)).toBe(true);
    expect(isAllowedHost('[::1]:4000', 4000)).toBe(true);
    expect(isAllowedHost('127.0.0.1:4001', 4000)).toBe(false);
    expect(isAllowedHost('evil.example:4000', 4000)).toBe(false);
    expect(isAllowedHost(undefined, 4000)).toBe(false);
  });

  it('refuses WebSocket upgrades from other pages', () => {
    expect(isAllowedOrigin('http://127.0.0.1:4000', 4000)).toBe(true);
    expect(isAllowedOrigin('http://evil.example', 4000)).toBe(false);
    expect(isAllowedOrigin('https://127.0.0.1:4000', 4000)).toBe(false);
    expect(isAllowedOrigin('not a url', 4000)).toBe(false);
    expect(isAllowedOrigin(undefined, 4000)).toBe(true);
  });
});

describe('resolveStaticPath', () => {
  const root = path.resolve('/srv/web');
  it('maps paths inside the root', () => {
    expect(resolveStaticPath(root, '/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveStaticPath(root, '/assets/a%20b.js')).toBe(path.join(root, 'assets/a b.js'));
  });
  it('never leaves the root', () => {
    for (const evil of [
      '/../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/../../secret',
      '/..%2fsecret',
    ]) {
      const resolved = resolveStaticPath(root, evil);
      expect(resolved === null || resolved.startsWith(root + path.sep)).toBe(true);
    }
    expect(resolveStaticPath(root, '/%00')).toBeNull();
    expect(resolveStaticPath(root, '/%E0%A4%A')).toBeNull();
  });
});
