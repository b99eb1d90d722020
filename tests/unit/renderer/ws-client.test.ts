import { describe, expect, it, vi } from 'vitest';
import type { ClientMessage, ServerMessage } from '../../../app/contract/index.ts';
import { ClientError } from '../../../renderer/src/client/client-error.ts';
import { takeSessionToken } from '../../../renderer/src/client/session-token.ts';
import { browserSocketUrl, createWsClient } from '../../../renderer/src/client/ws-client.ts';
import type { SocketLike } from '../../../renderer/src/client/ws-client.ts';
import { makeStats } from './fake-client.ts';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: ClientMessage[] = [];
  closedByClient = false;
  onopen: ((event: Event) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readonly url: string;
  constructor(url: string) {
    this.url = url;
  }
  send(data: string) {
    if (this.readyState !== 1) throw new Error('send before open');
    this.sent.push(JSON.parse(data) as ClientMessage);
  }
  close() {
    this.closedByClient = true;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  drop() {
    this.readyState = 3;
    this.onclose?.(new Event('close') as CloseEvent);
  }
  reply(message: ServerMessage) {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(message) }));
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: { run: () => void; ms: number }[] = [];
  const connection: boolean[] = [];
  const client = createWsClient({
    socketUrl: 'ws://127.0.0.1:5000/api/ws?token=abc',
    token: 'a b&c',
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    onConnectionChange: (up) => connection.push(up),
    setTimer: (run, ms) => timers.push({ run, ms }),
    clearTimer: () => {},
  });
  const socket = (i: number) => {
    const s = sockets[i];
    if (!s) throw new Error(`no socket ${i}`);
    return s;
  };
  return { client, sockets, socket, timers, connection };
}

describe('ws client', () => {
  it('queues requests made before the socket opens and sends them in order', async () => {
    const { client, socket } = setup();
    const stats = client.invoke('catalogue-stats', {});
    const list = client.invoke('catalogue-list', { split: 'test' });
    expect(socket(0).sent).toEqual([]);
    socket(0).open();
    expect(socket(0).sent).toEqual([
      { type: 'request', seq: 1, channel: 'catalogue-stats', payload: {} },
      { type: 'request', seq: 2, channel: 'catalogue-list', payload: { split: 'test' } },
    ]);
    const answer = { ids: [7], labels: ['happy' as const], splits: ['test' as const] };
    socket(0).reply({ type: 'response', seq: 2, ok: true, result: answer });
    socket(0).reply({ type: 'response', seq: 1, ok: true, result: makeStats(3) });
    await expect(list).resolves.toEqual(answer);
    await expect(stats).resolves.toEqual(makeStats(3));
  });

  it('rejects with the server error code', async () => {
    const { client, socket } = setup();
    socket(0).open();
    const result = client.invoke('catalogue-import', { folder: '/nope' });
    socket(0).reply({
      type: 'response',
      seq: 1,
      ok: false,
      error: { code: 'not-a-directory', message: '/nope is not a folder' },
    });
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ code: 'not-a-directory', message: '/nope is not a folder' });
  });

  it('delivers events to listeners until they unsubscribe, and ignores unknown replies', () => {
    const { client, socket } = setup();
    socket(0).open();
    const seen = vi.fn();
    const off = client.on('catalogue-changed', seen);
    socket(0).reply({ type: 'response', seq: 99, ok: true, result: makeStats(1) });
    socket(0).reply({ type: 'event', event: 'catalogue-changed', payload: { reason: 'import' } });
    off();
    socket(0).reply({ type: 'event', event: 'catalogue-changed', payload: { reason: 'sample' } });
    expect(seen.mock.calls).toEqual([[{ reason: 'import' }]]);
  });

  it('fails sent requests when the socket closes, reconnects with backoff, then sends new ones', async () => {
    const { client, sockets, socket, timers, connection } = setup();
    socket(0).open();
    const lost = client.invoke('catalogue-stats', {});
    socket(0).drop();
    const error = await lost.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'disconnected' });
    expect(String((error as Error).message)).toContain('catalogue-stats');

    const later = client.invoke('app-info', {});
    expect(timers.map((t) => t.ms)).toEqual([250]);
    timers[0]?.run();
    socket(1).drop();
    expect(timers.map((t) => t.ms)).toEqual([250, 500]);
    timers[1]?.run();
    expect(sockets).toHaveLength(3);
    socket(2).open();
    expect(socket(2).sent.map((m) => m.channel)).toEqual(['app-info']);
    const seq = socket(2).sent[0]?.seq ?? -1;
    const info = {
      mode: 'browser' as const,
      version: '0.1.0',
      catalogPath: '/c.sqlite',
      dataDir: '/d',
      canPickFolder: false,
    };
    socket(2).reply({ type: 'response', seq, ok: true, result: info });
    await expect(later).resolves.toEqual(info);
    expect(connection).toEqual([true, false, false, true]);
    // A successful open resets the backoff.
    socket(2).drop();
    expect(timers.at(-1)?.ms).toBe(250);
  });

  it('close() stops reconnecting and rejects queued requests', async () => {
    const { client, socket, timers } = setup();
    const queued = client.invoke('catalogue-stats', {});
    client.close();
    expect(socket(0).closedByClient).toBe(true);
    await expect(queued).rejects.toMatchObject({ code: 'disconnected' });
    await expect(client.invoke('catalogue-stats', {})).rejects.toMatchObject({
      code: 'disconnected',
    });
    expect(timers).toEqual([]);
  });

  it('builds image and socket URLs with the token', () => {
    const { client } = setup();
    expect(client.imageUrl('cd'.repeat(16), 42)).toBe(
      `/api/images/${'cd'.repeat(16)}/42.png?token=a%20b%26c`,
    );
    expect(browserSocketUrl({ protocol: 'http:', host: '127.0.0.1:5000' }, 't/1')).toBe(
      'ws://127.0.0.1:5000/api/ws?token=t%2F1',
    );
    expect(browserSocketUrl({ protocol: 'https:', host: 'h' }, 't')).toBe('wss://h/api/ws?token=t');
  });
});

describe('session token', () => {
  function env(search: string, stored: string | null = null) {
    const storage = new Map<string, string>(stored ? [['fer-studio-token', stored]] : []);
    const replaced: string[] = [];
    return {
      replaced,
      storage,
      env: {
        location: { search, pathname: '/', hash: '#x' },
        storage: {
          getItem: (k: string) => storage.get(k) ?? null,
          setItem: (k: string, v: string) => void storage.set(k, v),
        },
        history: {
          state: null,
          replaceState: (_s: unknown, _t: string, url?: string | URL | null) =>
            void replaced.push(String(url)),
        },
      },
    };
  }

  it('takes the token out of the address bar and keeps it for the tab', () => {
    const t = env('?token=secret&view=grid');
    expect(takeSessionToken(t.env)).toBe('secret');
    expect(t.storage.get('fer-studio-token')).toBe('secret');
    expect(t.replaced).toEqual(['/?view=grid#x']);
  });

  it('falls back to the stored token after a reload, and to null without one', () => {
    const stored = env('', 'kept');
    expect(takeSessionToken(stored.env)).toBe('kept');
    expect(stored.replaced).toEqual([]);
    expect(takeSessionToken(env('').env)).toBeNull();
  });
});
