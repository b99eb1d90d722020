import { describe, expect, it, vi } from 'vitest';
import {
  BROWSER_ROUTES,
  CLASS_NAMES,
  EXCLUDE,
  SPLITS,
  ipcImageUrl as contractIpcImageUrl,
} from '../../../app/contract/index.ts';
import type { PreloadApi } from '../../../app/contract/index.ts';
import { CLASS_LIST, LABEL_LIST, SPLIT_LIST } from '../../../renderer/src/classes.ts';
import { createIpcClient } from '../../../renderer/src/client/ipc-client.ts';
import {
  BROWSER_SOCKET_PATH,
  browserImagePath,
  ipcImageUrl,
} from '../../../renderer/src/client/image-url.ts';
import { makeStats } from './fake-client.ts';

const KEY = '0123456789abcdef0123456789abcdef';

describe('renderer copies of contract values', () => {
  it('match the contract exactly', () => {
    expect(CLASS_LIST).toEqual(CLASS_NAMES);
    expect(SPLIT_LIST).toEqual(SPLITS);
    expect(LABEL_LIST).toEqual([...CLASS_NAMES, EXCLUDE]);
    for (const id of [0, 7, 123456]) {
      expect(ipcImageUrl(KEY, id)).toBe(contractIpcImageUrl(KEY, id));
      expect(browserImagePath(KEY, id)).toBe(BROWSER_ROUTES.image(KEY, id));
    }
    expect(BROWSER_SOCKET_PATH).toBe(BROWSER_ROUTES.socket);
  });
});

describe('ipc client', () => {
  function preload(overrides: Partial<PreloadApi['handlers']>): PreloadApi {
    return {
      handlers: overrides as PreloadApi['handlers'],
      subscribe: vi.fn(() => () => {}),
    };
  }

  it('unwraps ok replies and passes the request through', async () => {
    const stats = makeStats(4);
    const handler = vi.fn(async () => ({ ok: true as const, result: stats }));
    const client = createIpcClient(preload({ 'catalogue-stats': handler }));
    await expect(client.invoke('catalogue-stats', {})).resolves.toEqual(stats);
    expect(handler).toHaveBeenCalledWith({});
  });

  it('rejects error replies with the error code', async () => {
    const client = createIpcClient(
      preload({
        'catalogue-import': async () => ({
          ok: false as const,
          error: { code: 'busy' as const, message: 'an import is running' },
        }),
      }),
    );
    await expect(client.invoke('catalogue-import', { folder: '/x' })).rejects.toMatchObject({
      code: 'busy',
      message: 'an import is running',
    });
  });

  it('subscribes through the preload and serves images from the custom protocol', () => {
    const api = preload({});
    const client = createIpcClient(api);
    const listener = () => {};
    client.on('catalogue-changed', listener);
    expect(api.subscribe).toHaveBeenCalledWith('catalogue-changed', listener);
    expect(client.imageUrl(KEY, 5)).toBe(`fer-image://image/${KEY}/5.png`);
  });
});
