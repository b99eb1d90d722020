import { describe, expect, it, vi } from 'vitest';
import type { Session } from 'electron';
import { allowCameraForApp } from '../../../main/harden.ts';
import { isAppUrl } from '../../../main/app-protocol.ts';

type Request = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl: string; mediaTypes?: string[] },
) => void;
type Check = (
  contents: unknown,
  permission: string,
  origin: string,
  details: { requestingUrl?: string; mediaType?: string },
) => boolean;

function install() {
  let request: Request | undefined;
  let check: Check | undefined;
  const session = {
    setPermissionRequestHandler: vi.fn((handler: Request) => (request = handler)),
    setPermissionCheckHandler: vi.fn((handler: Check) => (check = handler)),
  } as unknown as Session;
  allowCameraForApp(session, (url) => isAppUrl(url, 'http://localhost:5173'));
  const ask = (permission: string, requestingUrl: string, mediaTypes?: string[]) => {
    const callback = vi.fn();
    request?.({}, permission, callback, { requestingUrl, ...(mediaTypes ? { mediaTypes } : {}) });
    return callback.mock.calls[0]?.[0] as boolean;
  };
  return { ask, check: (...args: Parameters<Check>) => check?.(...args) };
}

describe('allowCameraForApp', () => {
  it("grants the camera to the app's own pages only", () => {
    const { ask } = install();
    expect(ask('media', 'fer-app://studio/index.html', ['video'])).toBe(true);
    expect(ask('media', 'http://localhost:5173/', ['video'])).toBe(true);
    expect(ask('media', 'https://example.com/', ['video'])).toBe(false);
    expect(ask('media', 'fer-app://elsewhere/index.html', ['video'])).toBe(false);
    expect(ask('media', 'file:///tmp/page.html', ['video'])).toBe(false);
  });

  it('denies the microphone and every other permission, even to the app', () => {
    const { ask } = install();
    expect(ask('media', 'fer-app://studio/index.html', ['audio'])).toBe(false);
    expect(ask('media', 'fer-app://studio/index.html', ['video', 'audio'])).toBe(false);
    expect(ask('media', 'fer-app://studio/index.html', [])).toBe(false);
    for (const permission of ['notifications', 'geolocation', 'clipboard-read', 'midi'])
      expect(ask(permission, 'fer-app://studio/index.html', ['video'])).toBe(false);
  });

  it('answers permission checks the same way (device labels need them)', () => {
    const { check } = install();
    expect(check({}, 'media', 'fer-app://studio', { mediaType: 'video' })).toBe(true);
    expect(check({}, 'media', 'fer-app://studio', { mediaType: 'audio' })).toBe(false);
    expect(check({}, 'media', 'https://example.com', { mediaType: 'video' })).toBe(false);
    expect(check({}, 'notifications', 'fer-app://studio', {})).toBe(false);
  });
});
