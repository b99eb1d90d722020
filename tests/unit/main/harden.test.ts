import { describe, expect, it, vi } from 'vitest';
import type { Session, WebContents } from 'electron';
import { applyCspHeader, hardenWebContents } from '../../../main/harden.ts';

type Handler = (event: { preventDefault: () => void }, url: string) => void;

function fakeContents() {
  const listeners = new Map<string, Handler>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    setWindowOpenHandler: vi.fn((handler: typeof openHandler) => {
      openHandler = handler;
    }),
    on: vi.fn((event: string, handler: Handler) => {
      listeners.set(event, handler);
      return contents;
    }),
  };
  const fire = (event: string, url = '') => {
    const preventDefault = vi.fn();
    listeners.get(event)?.({ preventDefault }, url);
    return preventDefault.mock.calls.length > 0;
  };
  return {
    contents: contents as unknown as WebContents,
    fire,
    open: (url: string) => openHandler?.({ url }),
  };
}

const isApp = (url: string) => url.startsWith('fer-app://studio/');

describe('hardenWebContents', () => {
  it('denies every window.open', () => {
    const fake = fakeContents();
    hardenWebContents(fake.contents, isApp);
    expect(fake.open('https://example.com/')).toEqual({ action: 'deny' });
    expect(fake.open('fer-app://studio/index.html')).toEqual({ action: 'deny' });
  });

  it('blocks navigation and redirects away from the app but allows in-app ones', () => {
    const fake = fakeContents();
    hardenWebContents(fake.contents, isApp);
    for (const event of ['will-navigate', 'will-redirect']) {
      expect(fake.fire(event, 'https://example.com/')).toBe(true);
      expect(fake.fire(event, 'file:///etc/passwd')).toBe(true);
      expect(fake.fire(event, 'fer-app://studio/index.html')).toBe(false);
    }
  });

  it('refuses to attach webviews', () => {
    const fake = fakeContents();
    hardenWebContents(fake.contents, isApp);
    expect(fake.fire('will-attach-webview')).toBe(true);
  });
});

describe('applyCspHeader', () => {
  it('adds the policy to app responses only', () => {
    type Listener = (
      details: { url: string; responseHeaders?: Record<string, string[]> },
      callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
    ) => void;
    let listener: Listener | undefined;
    const session = {
      webRequest: { onHeadersReceived: vi.fn((handler: Listener) => (listener = handler)) },
    } as unknown as Session;
    applyCspHeader(session, isApp, "default-src 'self'");
    const own = vi.fn();
    listener?.({ url: 'fer-app://studio/index.html', responseHeaders: { 'X-A': ['1'] } }, own);
    expect(own).toHaveBeenCalledWith({
      responseHeaders: { 'X-A': ['1'], 'Content-Security-Policy': ["default-src 'self'"] },
    });
    const other = vi.fn();
    listener?.({ url: 'https://example.com/' }, other);
    expect(other).toHaveBeenCalledWith({});
  });
});
