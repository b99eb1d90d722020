import { describe, expect, it } from 'vitest';
import { IMAGE_PROTOCOL } from '../../../app/contract/transport.ts';
import { APP_SCHEME } from '../../../main/app-protocol.ts';
import { PRIVILEGED_SCHEMES } from '../../../main/schemes.ts';
import {
  contentSecurityPolicy,
  mainWindowOptions,
  secureWebPreferences,
} from '../../../main/window-options.ts';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('secureWebPreferences', () => {
  it('turns on isolation and the sandbox and turns off Node in every frame', () => {
    const prefs = secureWebPreferences('/app/out/preload/index.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('is what the main window uses', () => {
    const options = mainWindowOptions({ preloadPath: '/p.cjs', iconPath: '/icon.png' });
    expect(options.webPreferences).toEqual(secureWebPreferences('/p.cjs'));
    expect(options).toMatchObject({ title: 'FER Studio', show: false, icon: '/icon.png' });
  });
});

describe('contentSecurityPolicy', () => {
  it('production: scripts and connections only from the app, images also from the image protocol', () => {
    const csp = directives(contentSecurityPolicy('production'));
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', `${IMAGE_PROTOCOL}:`]);
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
  });

  it('never allows eval or any-host sources, in either mode', () => {
    for (const mode of ['production', 'development'] as const) {
      expect(contentSecurityPolicy(mode)).not.toContain('unsafe-eval');
      for (const sources of directives(contentSecurityPolicy(mode)).values()) {
        for (const source of sources)
          expect(['*', 'http:', 'https:', 'ws:', 'file:']).not.toContain(source);
      }
    }
  });

  it('development adds only the dev server needs (inline preamble, HMR socket)', () => {
    const prod = directives(contentSecurityPolicy('production'));
    const dev = directives(contentSecurityPolicy('development'));
    expect(dev.get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(dev.get('connect-src')).toEqual(["'self'", 'ws://localhost:*']);
    expect(dev.get('img-src')).toEqual(prod.get('img-src'));
  });
});

describe('PRIVILEGED_SCHEMES', () => {
  it('registers the image and app schemes as standard and secure', () => {
    const byName = new Map(PRIVILEGED_SCHEMES.map((entry) => [entry.scheme, entry.privileges]));
    expect([...byName.keys()].sort()).toEqual([APP_SCHEME, IMAGE_PROTOCOL].sort());
    for (const privileges of byName.values()) {
      expect(privileges).toMatchObject({ standard: true, secure: true });
      expect(privileges?.bypassCSP).not.toBe(true);
    }
  });
});
