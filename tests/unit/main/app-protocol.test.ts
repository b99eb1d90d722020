import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  APP_URL,
  createAppProtocolHandler,
  isAppUrl,
  resolveAppAsset,
} from '../../../main/app-protocol.ts';
import { contentSecurityPolicy } from '../../../main/window-options.ts';

const root = '/opt/fer/out/renderer';

describe('isAppUrl', () => {
  it('accepts the app scheme and host, and the dev server origin when given', () => {
    expect(isAppUrl(APP_URL)).toBe(true);
    expect(isAppUrl('fer-app://studio/assets/x.js')).toBe(true);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
  });

  it('rejects everything else', () => {
    expect(isAppUrl('fer-app://other/index.html')).toBe(false);
    expect(isAppUrl('https://example.com/')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('http://localhost:5173/')).toBe(false);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
    expect(isAppUrl('')).toBe(false);
  });
});

describe('resolveAppAsset', () => {
  it('maps app URLs to files under the root', () => {
    expect(resolveAppAsset(root, APP_URL)).toBe(join(root, 'index.html'));
    expect(resolveAppAsset(root, 'fer-app://studio/')).toBe(join(root, 'index.html'));
    expect(resolveAppAsset(root, 'fer-app://studio/assets/index-abc.js?v=1')).toBe(
      join(root, 'assets/index-abc.js'),
    );
    expect(resolveAppAsset(root, 'fer-app://studio/a%20b.css')).toBe(join(root, 'a b.css'));
  });

  it.each([
    ['parent segment', 'fer-app://studio/../main/index.js'],
    ['encoded parent', 'fer-app://studio/%2e%2e/main/index.js'],
    ['encoded slash', 'fer-app://studio/assets%2f..%2f..%2fsecret'],
    ['backslash', 'fer-app://studio/..\\secret'],
    ['null byte', 'fer-app://studio/index.html%00.js'],
    ['bad escape', 'fer-app://studio/%zz'],
    ['other host', 'fer-app://other/index.html'],
    ['other scheme', 'file:///opt/fer/out/renderer/index.html'],
    ['dot segment', 'fer-app://studio/./index.html'],
  ])('rejects %s', (_name, url) => {
    expect(resolveAppAsset(root, url)).toBeNull();
  });
});

describe('createAppProtocolHandler', () => {
  it('serves the file with the strict CSP header', async () => {
    const fetchFile = vi.fn(
      async () => new Response('<html></html>', { headers: { 'content-type': 'text/html' } }),
    );
    const response = await createAppProtocolHandler(root, fetchFile)(new Request(APP_URL));
    expect(fetchFile).toHaveBeenCalledWith(`file://${root}/index.html`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(
      contentSecurityPolicy('production'),
    );
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(await response.text()).toBe('<html></html>');
  });

  it('answers 400 for escapes and 404 for missing files', async () => {
    const fetchFile = vi.fn(async () => {
      throw new Error('ENOENT');
    });
    const handler = createAppProtocolHandler(root, fetchFile);
    expect((await handler(new Request('fer-app://other/x'))).status).toBe(400);
    expect(fetchFile).not.toHaveBeenCalled();
    expect((await handler(new Request('fer-app://studio/missing.js'))).status).toBe(404);
  });
});
