import { beforeEach, describe, expect, it, vi } from 'vitest';
import { channels, eventNames } from '../../../app/contract/handlers.ts';
import type { PreloadApi } from '../../../app/contract/transport.ts';
import { buildPreloadApi } from '../../../main/preload-api.ts';
import type { IpcListener } from '../../../main/preload-api.ts';

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: {
    invoke: vi.fn(async (channel: string, request: unknown) => ({
      ok: true,
      result: { channel, request },
    })),
    on: vi.fn(),
    removeListener: vi.fn(),
    send: vi.fn(),
  },
}));
vi.mock('electron', () => electron);

function build() {
  const invoke = vi.fn(async (channel: string, request: unknown) => ({ channel, request }));
  const on = vi.fn<(event: string, listener: IpcListener) => void>();
  const off = vi.fn<(event: string, listener: IpcListener) => void>();
  return { api: buildPreloadApi(invoke, on, off), invoke, on, off };
}

/** Every value reachable from the API object, to prove ipcRenderer is not among them. */
function reachable(value: unknown, seen = new Set<unknown>()): Set<unknown> {
  if (
    (typeof value !== 'object' && typeof value !== 'function') ||
    value === null ||
    seen.has(value)
  )
    return seen;
  seen.add(value);
  for (const key of Object.keys(value)) reachable((value as Record<string, unknown>)[key], seen);
  return seen;
}

describe('buildPreloadApi', () => {
  it('exposes exactly the contract channels as functions, plus subscribe', () => {
    const { api } = build();
    expect(Object.keys(api).sort()).toEqual(['handlers', 'subscribe']);
    expect(Object.keys(api.handlers).sort()).toEqual([...channels].sort());
    for (const channel of channels) expect(typeof api.handlers[channel]).toBe('function');
  });

  it('invokes the matching channel with the request and returns the reply', async () => {
    const { api, invoke } = build();
    for (const channel of channels) {
      const call = api.handlers[channel] as (request: unknown) => Promise<unknown>;
      await expect(call({ probe: channel })).resolves.toEqual({
        channel,
        request: { probe: channel },
      });
    }
    expect(invoke).toHaveBeenCalledTimes(channels.length);
  });

  it('subscribes to every contract event, hides the IPC event and unsubscribes once', () => {
    const { api, on, off } = build();
    for (const event of eventNames) {
      const listener = vi.fn();
      const unsubscribe = api.subscribe(event, listener);
      const [name, relay] = on.mock.calls.at(-1) ?? [];
      expect(name).toBe(event);
      relay?.({ sender: 'ipcRenderer' }, { probe: event });
      expect(listener).toHaveBeenCalledWith({ probe: event });
      expect(listener.mock.calls[0]).toHaveLength(1);
      unsubscribe();
      unsubscribe();
      expect(off).toHaveBeenLastCalledWith(event, relay);
    }
    expect(off).toHaveBeenCalledTimes(eventNames.length);
  });

  it('rejects events outside the contract', () => {
    const { api, on } = build();
    const subscribe = api.subscribe as (event: string, listener: () => void) => () => void;
    expect(() => subscribe('catalogue-import-progres', () => {})).toThrow(/Unknown event/);
    expect(() => subscribe('__proto__', () => {})).toThrow(/Unknown event/);
    expect(on).not.toHaveBeenCalled();
  });

  it('is frozen, so page scripts cannot swap a handler', () => {
    const { api } = build();
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.handlers)).toBe(true);
  });
});

describe('preload entry', () => {
  beforeEach(() => {
    vi.resetModules();
    electron.contextBridge.exposeInMainWorld.mockClear();
  });

  it('exposes window.ferStudio wired to ipcRenderer, without exposing ipcRenderer', async () => {
    await import('../../../main/preload.ts');
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [key, api] = electron.contextBridge.exposeInMainWorld.mock.calls[0] as [
      string,
      PreloadApi,
    ];
    expect(key).toBe('ferStudio');
    expect(reachable(api).has(electron.ipcRenderer)).toBe(false);
    expect(reachable(api).has(electron.ipcRenderer.invoke)).toBe(false);

    await expect(api.handlers['catalogue-list']({ split: 'test' })).resolves.toEqual({
      ok: true,
      result: { channel: 'catalogue-list', request: { split: 'test' } },
    });
    const listener = vi.fn();
    const unsubscribe = api.subscribe('catalogue-changed', listener);
    const [event, relay] = electron.ipcRenderer.on.mock.calls.at(-1) as [string, IpcListener];
    expect(event).toBe('catalogue-changed');
    relay({}, { reason: 'sample' });
    expect(listener).toHaveBeenCalledWith({ reason: 'sample' });
    unsubscribe();
    expect(electron.ipcRenderer.removeListener).toHaveBeenCalledWith('catalogue-changed', relay);
  });
});
