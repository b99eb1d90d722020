import { describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { channels } from '../../../app/contract/handlers.ts';
import { wireIpc } from '../../../main/ipc.ts';
import { createFakeStudio } from './fake-studio.ts';

type Listener = (event: IpcMainInvokeEvent, payload: unknown) => unknown;

function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  const handle = vi.fn((channel: string, listener: Listener) => {
    if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    handlers.set(channel, listener);
  });
  const removeHandler = vi.fn((channel: string) => handlers.delete(channel));
  return { handlers, handle, removeHandler };
}

const fromApp = { senderFrame: { url: 'fer-app://studio/index.html' } } as IpcMainInvokeEvent;

describe('wireIpc', () => {
  it('registers exactly one handler per contract channel and nothing else', () => {
    const ipc = fakeIpcMain();
    wireIpc(ipc, createFakeStudio().studio);
    expect(ipc.handle).toHaveBeenCalledTimes(channels.length);
    expect([...ipc.handlers.keys()].sort()).toEqual([...channels].sort());
  });

  it('relays each channel to studio.dispatch and returns its reply unchanged', async () => {
    const ipc = fakeIpcMain();
    const { studio, dispatch } = createFakeStudio();
    wireIpc(ipc, studio);
    for (const channel of channels) {
      const payload = { probe: channel };
      const reply = await ipc.handlers.get(channel)?.(fromApp, payload);
      expect(reply).toEqual({ ok: true, result: { channel, payload } });
      expect(dispatch).toHaveBeenLastCalledWith(channel, payload);
    }
    expect(dispatch).toHaveBeenCalledTimes(channels.length);
  });

  it('passes error replies through (dispatch never throws)', async () => {
    const ipc = fakeIpcMain();
    const { studio, dispatch } = createFakeStudio();
    const failure = { ok: false as const, error: { code: 'busy' as const, message: 'importing' } };
    dispatch.mockResolvedValueOnce(failure);
    wireIpc(ipc, studio);
    await expect(ipc.handlers.get('catalogue-import')?.(fromApp, {})).resolves.toEqual(failure);
  });

  it('refuses senders that are not the app without calling the studio', async () => {
    const ipc = fakeIpcMain();
    const { studio, dispatch } = createFakeStudio();
    wireIpc(ipc, studio, (url) => url.startsWith('fer-app://studio/'));
    const foreign = { senderFrame: { url: 'https://example.com/' } } as IpcMainInvokeEvent;
    const reply = await ipc.handlers.get('app-info')?.(foreign, {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(dispatch).not.toHaveBeenCalled();
    await expect(ipc.handlers.get('app-info')?.(fromApp, {})).resolves.toMatchObject({ ok: true });
  });

  it('returns an unregister function that removes every handler', () => {
    const ipc = fakeIpcMain();
    const unregister = wireIpc(ipc, createFakeStudio().studio);
    unregister();
    expect(ipc.removeHandler).toHaveBeenCalledTimes(channels.length);
    expect(ipc.handlers.size).toBe(0);
  });
});
