import { beforeAll, describe, expect, it, vi } from 'vitest';
import { channels, eventNames } from '../../../app/contract/handlers.ts';
import type { EventName, EventOf } from '../../../app/contract/handlers.ts';
import { IMAGE_PROTOCOL } from '../../../app/contract/transport.ts';
import type { ProjectStudioOptions } from '../../../app/project/project-studio.ts';
import { APP_SCHEME, APP_URL } from '../../../main/app-protocol.ts';
import { PRIVILEGED_SCHEMES } from '../../../main/schemes.ts';
import { secureWebPreferences } from '../../../main/window-options.ts';
import { createFakeStudio } from './fake-studio.ts';

/** A recording stand-in for the parts of Electron that main/index.ts composes. */
const fake = vi.hoisted(() => {
  const order: string[] = [];
  const appListeners = new Map<string, (...args: unknown[]) => void>();
  const windows: Array<{
    options: unknown;
    url?: string;
    webContents: { send: ReturnType<typeof vi.fn>; isDestroyed: () => boolean };
  }> = [];
  class BrowserWindow {
    options: unknown;
    url?: string;
    webContents = { send: vi.fn(), isDestroyed: () => false };
    constructor(options: unknown) {
      this.options = options;
      windows.push(this);
    }
    once() {}
    loadURL(url: string) {
      this.url = url;
      return Promise.resolve();
    }
    static getAllWindows = () => windows;
    static getFocusedWindow = () => null;
  }
  return {
    order,
    appListeners,
    windows,
    ipcHandlers: new Map<string, (event: unknown, payload: unknown) => unknown>(),
    protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
    electron: {
      app: {
        whenReady: vi.fn(() => {
          order.push('whenReady');
          return Promise.resolve();
        }),
        getPath: vi.fn(() => '/home/u/.config/FER Studio'),
        setPath: vi.fn(),
        on: vi.fn((event: string, listener: (...args: unknown[]) => void) =>
          appListeners.set(event, listener),
        ),
        quit: vi.fn(),
        exit: vi.fn(),
        requestSingleInstanceLock: vi.fn(() => true),
      },
      BrowserWindow,
      dialog: {
        showOpenDialog: vi.fn(async () => ({ canceled: false, filePaths: ['/picked'] })),
        showErrorBox: vi.fn(),
      },
      ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
      net: { fetch: vi.fn() },
      protocol: {
        registerSchemesAsPrivileged: vi.fn(() => order.push('registerSchemes')),
        handle: vi.fn(),
      },
      session: {
        defaultSession: {
          setPermissionRequestHandler: vi.fn(),
          setPermissionCheckHandler: vi.fn(),
          webRequest: { onHeadersReceived: vi.fn() },
        },
      },
    },
  };
});
vi.mock('electron', () => fake.electron);

const studioFake = createFakeStudio();
const createStudio = vi.hoisted(() => vi.fn());
vi.mock('../../../app/project/project-studio.ts', () => ({ createProjectStudio: createStudio }));

/** Call records taken right after start-up (vitest clears mock histories between tests). */
const startup = {
  schemes: [] as unknown[][],
  studioOptions: [] as unknown[],
  ipcHandleCalls: 0,
  permissionRequestHandlers: 0,
  permissionCheckHandlers: 0,
};

beforeAll(async () => {
  createStudio.mockReturnValue(studioFake.studio);
  fake.electron.ipcMain.handle.mockImplementation((channel: string, listener) => {
    fake.ipcHandlers.set(channel, listener);
  });
  fake.electron.protocol.handle.mockImplementation((scheme: string, handler) => {
    fake.protocolHandlers.set(scheme, handler);
  });
  await import('../../../main/index.ts');
  await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
  const session = fake.electron.session.defaultSession;
  startup.schemes = fake.electron.protocol.registerSchemesAsPrivileged.mock.calls;
  startup.studioOptions = createStudio.mock.calls.map((call) => call[0]);
  startup.ipcHandleCalls = fake.electron.ipcMain.handle.mock.calls.length;
  startup.permissionRequestHandlers = session.setPermissionRequestHandler.mock.calls.length;
  startup.permissionCheckHandlers = session.setPermissionCheckHandler.mock.calls.length;
});

describe('main/index.ts composition', () => {
  it('registers the privileged schemes once, before the app is ready', () => {
    expect(startup.schemes).toEqual([[PRIVILEGED_SCHEMES]]);
    expect(fake.order.indexOf('registerSchemes')).toBeLessThan(fake.order.indexOf('whenReady'));
  });

  it('opens the projects in userData (the last one, or projects/default) with the native folder picker', async () => {
    expect(startup.studioOptions).toHaveLength(1);
    const options = startup.studioOptions[0] as ProjectStudioOptions;
    expect(options).toMatchObject({
      dataDir: '/home/u/.config/FER Studio',
      mode: 'electron',
    });
    await expect(options.overrides?.['dialog-pick-folder']?.({})).resolves.toEqual({
      folder: '/picked',
    });
    expect(fake.electron.dialog.showOpenDialog).toHaveBeenCalledWith(
      expect.objectContaining({ properties: ['openDirectory'] }),
    );
    await expect(options.overrides?.['dialog-pick-model']?.({})).resolves.toEqual({
      path: '/picked',
    });
    expect(fake.electron.dialog.showOpenDialog).toHaveBeenCalledWith(
      expect.objectContaining({ properties: ['openFile'] }),
    );
  });

  it('wires every contract channel to the studio exactly once', async () => {
    expect(startup.ipcHandleCalls).toBe(channels.length);
    expect([...fake.ipcHandlers.keys()].sort()).toEqual([...channels].sort());
    const fromApp = { senderFrame: { url: APP_URL } };
    await expect(fake.ipcHandlers.get('catalogue-stats')?.(fromApp, {})).resolves.toEqual({
      ok: true,
      result: { channel: 'catalogue-stats', payload: {} },
    });
    const foreign = { senderFrame: { url: 'https://example.com/' } };
    await expect(fake.ipcHandlers.get('catalogue-stats')?.(foreign, {})).resolves.toMatchObject({
      ok: false,
    });
  });

  it('serves the app and the image protocol', async () => {
    expect([...fake.protocolHandlers.keys()].sort()).toEqual([APP_SCHEME, IMAGE_PROTOCOL].sort());
    const image = await fake.protocolHandlers.get(IMAGE_PROTOCOL)?.(
      new Request(`fer-image://image/${'e'.repeat(32)}/5.png`),
    );
    expect(image?.status).toBe(200);
    expect(await image?.text()).toBe('png-5');
  });

  it('opens one secure window on the app URL', () => {
    const [window] = fake.windows;
    const options = window?.options as { webPreferences: { preload: string } };
    expect(options.webPreferences.preload).toMatch(/[/\\]preload[/\\]index\.cjs$/);
    expect(options.webPreferences).toEqual(secureWebPreferences(options.webPreferences.preload));
    expect(window?.url).toBe(APP_URL);
  });

  it('denies permissions and hardens every web contents', () => {
    expect(startup.permissionRequestHandlers).toBe(1);
    expect(startup.permissionCheckHandlers).toBe(1);
    const contents = { setWindowOpenHandler: vi.fn(), on: vi.fn() };
    fake.appListeners.get('web-contents-created')?.({}, contents);
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
    expect(contents.on).toHaveBeenCalledWith('will-navigate', expect.any(Function));
  });

  it('forwards every studio event to the window', () => {
    for (const event of eventNames) {
      for (const listener of studioFake.listeners)
        listener(event, { probe: event } as unknown as EventOf<EventName>);
    }
    expect(fake.windows[0]?.webContents.send.mock.calls).toEqual(
      eventNames.map((event) => [event, { probe: event }]),
    );
  });

  it('closes the studio before quitting', async () => {
    const preventDefault = vi.fn();
    fake.appListeners.get('before-quit')?.({ preventDefault });
    expect(preventDefault).toHaveBeenCalled();
    expect(studioFake.studio.close).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(fake.electron.app.quit).toHaveBeenCalled());
  });
});
