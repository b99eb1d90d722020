import { afterEach, describe, expect, it } from 'vitest';
import type { PreloadApi } from '../../../app/contract/index.ts';
import { createClient } from '../../../renderer/src/client/index.ts';

afterEach(() => {
  delete window.ferStudio;
  window.sessionStorage.clear();
});

describe('createClient', () => {
  it('uses the Electron preload when it is there', async () => {
    const api: PreloadApi = {
      handlers: {
        'catalogue-import-cancel': async () => ({ ok: true, result: { cancelled: true } }),
      } as unknown as PreloadApi['handlers'],
      subscribe: () => () => {},
    };
    window.ferStudio = api;
    const client = createClient();
    expect(client.imageUrl('ab'.repeat(16), 3)).toBe(`fer-image://image/${'ab'.repeat(16)}/3.png`);
    await expect(client.invoke('catalogue-import-cancel', { jobId: 'j' })).resolves.toEqual({
      cancelled: true,
    });
  });

  it('explains what to open when the browser page has no session token', () => {
    expect(() => createClient()).toThrow(/session token.*fer-studio serve/);
  });
});
