import { describe, expect, it, vi } from 'vitest';
import type { App, BrowserWindow, Dialog } from 'electron';
import { createPickFolder, createPickModel } from '../../../main/pick-folder.ts';
import { closeStudioOnQuit } from '../../../main/quit.ts';

function fakeApp() {
  let beforeQuit: ((event: { preventDefault: () => void }) => void) | undefined;
  const app = {
    on: vi.fn((event: string, handler: typeof beforeQuit) => {
      if (event === 'before-quit') beforeQuit = handler;
    }),
    quit: vi.fn(),
  };
  const quitRequested = () => {
    const preventDefault = vi.fn();
    beforeQuit?.({ preventDefault });
    return preventDefault.mock.calls.length > 0;
  };
  return { app: app as unknown as App, quit: app.quit, quitRequested };
}

describe('closeStudioOnQuit', () => {
  it('holds the quit until the studio has closed, then quits for real', async () => {
    const { app, quit, quitRequested } = fakeApp();
    let finish: () => void = () => {};
    const close = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    closeStudioOnQuit(app, { close });
    expect(quitRequested()).toBe(true);
    expect(quitRequested()).toBe(true);
    expect(close).toHaveBeenCalledTimes(1);
    expect(quit).not.toHaveBeenCalled();
    finish();
    await vi.waitFor(() => expect(quit).toHaveBeenCalledTimes(1));
    expect(quitRequested()).toBe(false);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('still quits when closing fails, and says why', async () => {
    const { app, quit, quitRequested } = fakeApp();
    const log = vi.fn();
    closeStudioOnQuit(app, { close: () => Promise.reject(new Error('locked')) }, log);
    quitRequested();
    await vi.waitFor(() => expect(quit).toHaveBeenCalledTimes(1));
    expect(log).toHaveBeenCalledWith(expect.stringContaining('locked'));
  });
});

describe('createPickFolder', () => {
  it('returns the chosen folder, asking for directories only', async () => {
    const showOpenDialog = vi.fn(async () => ({ canceled: false, filePaths: ['/data/fer'] }));
    const pick = createPickFolder({ showOpenDialog } as unknown as Dialog, () => null);
    await expect(pick({})).resolves.toEqual({ folder: '/data/fer' });
    expect(showOpenDialog).toHaveBeenCalledWith(
      expect.objectContaining({ properties: ['openDirectory'] }),
    );
  });

  it('returns null when cancelled, and is modal to the focused window', async () => {
    const window = { id: 1 } as unknown as BrowserWindow;
    const showOpenDialog = vi.fn(async () => ({ canceled: true, filePaths: [] }));
    const pick = createPickFolder({ showOpenDialog } as unknown as Dialog, () => window);
    await expect(pick({})).resolves.toEqual({ folder: null });
    expect(showOpenDialog).toHaveBeenCalledWith(
      window,
      expect.objectContaining({ properties: ['openDirectory'] }),
    );
  });
});

describe('createPickModel', () => {
  it('asks for one file among Keras and TensorFlow.js models, and returns its path', async () => {
    const showOpenDialog = vi.fn(async () => ({ canceled: false, filePaths: ['/m/fer.keras'] }));
    const pick = createPickModel({ showOpenDialog } as unknown as Dialog, () => null);
    await expect(pick({})).resolves.toEqual({ path: '/m/fer.keras' });
    const options = (showOpenDialog.mock.calls[0] as unknown[])[0] as {
      properties: string[];
      filters: { extensions: string[] }[];
    };
    expect(options.properties).toEqual(['openFile']);
    expect(options.filters[0]?.extensions).toEqual(['keras', 'h5', 'hdf5', 'json']);
  });

  it('returns null when cancelled', async () => {
    const showOpenDialog = vi.fn(async () => ({ canceled: true, filePaths: [] }));
    const pick = createPickModel({ showOpenDialog } as unknown as Dialog, () => null);
    await expect(pick({})).resolves.toEqual({ path: null });
  });
});
