import type {
  Channel,
  ClientMessage,
  EventName,
  EventOf,
  RequestOf,
  ResponseOf,
  ServerMessage,
  StudioClient,
} from '../../../app/contract/index.ts';
import { ClientError } from './client-error.ts';
import { BROWSER_SOCKET_PATH, browserImagePath } from './image-url.ts';

/** The part of the browser's WebSocket this client uses, so tests can hand in a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: Event) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

export interface WsClientOptions {
  /** Full socket URL, token included (see `browserSocketUrl`). */
  socketUrl: string;
  token: string;
  createSocket?: (url: string) => SocketLike;
  /** Called with true on every (re)connect and false on every drop; a reconnect may have missed events. */
  onConnectionChange?: (connected: boolean) => void;
  backoff?: { initialMs: number; maxMs: number };
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export interface WsClient extends StudioClient {
  /** Stops reconnecting and rejects whatever is still waiting. */
  close(): void;
}

interface Pending {
  channel: Channel;
  data: string;
  sent: boolean;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

type Listener = (payload: unknown) => void;

const OPEN = 1;

export function browserSocketUrl(location: Pick<Location, 'protocol' | 'host'>, token: string) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${BROWSER_SOCKET_PATH}?token=${encodeURIComponent(token)}`;
}

export function createWsClient(options: WsClientOptions): WsClient {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url));
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as number));
  const { initialMs, maxMs } = options.backoff ?? { initialMs: 250, maxMs: 5000 };
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<Listener>>();
  let socket: SocketLike | null = null;
  let seq = 0;
  let attempts = 0;
  let timer: unknown = null;
  let closed = false;

  function connect(): void {
    timer = null;
    let next: SocketLike;
    try {
      next = createSocket(options.socketUrl);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = next;
    next.onopen = () => {
      attempts = 0;
      // Requests made while disconnected go out now, in the order they were made.
      for (const entry of pending.values()) {
        if (!entry.sent) {
          next.send(entry.data);
          entry.sent = true;
        }
      }
      options.onConnectionChange?.(true);
    };
    next.onmessage = (event) => handleMessage(event.data);
    next.onclose = () => {
      if (socket !== next) return;
      socket = null;
      rejectSent('The connection to FER Studio closed before the reply arrived');
      options.onConnectionChange?.(false);
      scheduleReconnect();
    };
    next.onerror = () => {
      // A close event always follows; reconnecting is handled there.
    };
  }

  function scheduleReconnect(): void {
    if (closed || timer !== null) return;
    const delay = Math.min(maxMs, initialMs * 2 ** attempts);
    attempts += 1;
    timer = setTimer(connect, delay);
  }

  /** A sent request may or may not have run on the server, so it is failed rather than resent. */
  function rejectSent(reason: string, all = false): void {
    for (const [key, entry] of pending) {
      if (entry.sent || all) {
        pending.delete(key);
        entry.reject(new ClientError('disconnected', `${reason} ("${entry.channel}").`));
      }
    }
  }

  function handleMessage(data: unknown): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(String(data)) as ServerMessage;
    } catch {
      console.warn('FER Studio: ignored a socket message that is not JSON');
      return;
    }
    if (message.type === 'response') {
      const entry = pending.get(message.seq);
      if (!entry) return;
      pending.delete(message.seq);
      if (message.ok) entry.resolve(message.result);
      else entry.reject(new ClientError(message.error.code, message.error.message));
    } else if (message.type === 'event') {
      for (const listener of listeners.get(message.event) ?? []) {
        try {
          listener(message.payload);
        } catch (error) {
          console.error(`FER Studio: a "${message.event}" listener threw`, error);
        }
      }
    }
  }

  connect();

  return {
    invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
      if (closed) {
        return Promise.reject(new ClientError('disconnected', 'The client was closed.'));
      }
      seq += 1;
      const message = { type: 'request', seq, channel, payload: request } as ClientMessage;
      return new Promise((resolve, reject) => {
        const entry: Pending = {
          channel,
          data: JSON.stringify(message),
          sent: false,
          resolve: resolve as (result: unknown) => void,
          reject,
        };
        pending.set(seq, entry);
        if (socket?.readyState === OPEN) {
          socket.send(entry.data);
          entry.sent = true;
        }
      });
    },
    on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      const wrapped = listener as Listener;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
    imageUrl(imageKey: string, id: number): string {
      return `${browserImagePath(imageKey, id)}?token=${encodeURIComponent(options.token)}`;
    },
    close(): void {
      closed = true;
      if (timer !== null) clearTimer(timer);
      const current = socket;
      socket = null;
      current?.close();
      rejectSent('The client was closed', true);
    },
  };
}
