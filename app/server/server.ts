import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ClientMessage, ServerMessage } from '../contract/transport.ts';
import type { Studio } from '../studio.ts';
import {
  checkToken,
  CONTENT_SECURITY_POLICY,
  isAllowedHost,
  isAllowedOrigin,
  resolveStaticPath,
  tokenFromRequest,
} from './security.ts';

export interface ServerOptions {
  studio: Studio;
  token: string;
  /** The built renderer (out/web). */
  staticDir: string;
  port?: number;
  host?: string;
}

export interface RunningServer {
  port: number;
  /** The page URL with the session token. */
  url: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function send(
  res: http.ServerResponse,
  status: number,
  body: string | Buffer,
  type = 'text/plain; charset=utf-8',
) {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  res.end(body);
}

/** Browser mode: the same core as Electron, over HTTP (images, static page) and one WebSocket (the contract). */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { studio, token, staticDir } = options;
  const host = options.host ?? '127.0.0.1';
  let port = options.port ?? 0;
  // Large enough for a photo sent to predict-image (48 MB, base64 in a JSON envelope).
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 72 << 20 });

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!isAllowedHost(req.headers.host, port)) return send(res, 421, 'Unknown host.');
    if (url.pathname.startsWith('/api/')) {
      if (!checkToken(tokenFromRequest(url, req.headers.authorization), token)) {
        return send(res, 401, 'Missing or wrong session token.');
      }
      const image = /^\/api\/images\/([0-9a-f]{32})\/([1-9]\d{0,11})\.png$/.exec(url.pathname);
      if (image?.[1] && req.method === 'GET') {
        try {
          // Immutable is safe: the key names the catalogue, and an image's pixels never change.
          const png = await studio.imagePng(image[1], Number(image[2]));
          res.writeHead(200, {
            'Content-Type': 'image/png',
            'Cache-Control': 'private, max-age=31536000, immutable',
            'X-Content-Type-Options': 'nosniff',
          });
          return res.end(png);
        } catch {
          return send(res, 404, 'No such image.');
        }
      }
      return send(res, 404, 'Not found.');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed.');
    let file = resolveStaticPath(staticDir, url.pathname === '/' ? '/index.html' : url.pathname);
    if (file && !fs.existsSync(file)) file = path.join(staticDir, 'index.html');
    if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      return send(res, 404, `The renderer is not built (${staticDir}). Run: npm run build:web`);
    }
    send(res, 200, fs.readFileSync(file), MIME[path.extname(file)] ?? 'application/octet-stream');
  });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const authorised =
      url.pathname === '/api/ws' &&
      isAllowedHost(req.headers.host, port) &&
      isAllowedOrigin(req.headers.origin, port) &&
      checkToken(tokenFromRequest(url, req.headers.authorization), token);
    if (!authorised) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => attach(ws, studio));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${host}:${port}/?token=${token}`,
    async close() {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One socket: relays requests to `studio.dispatch` and pushes every studio event. */
function attach(ws: WebSocket, studio: Studio): void {
  const post = (message: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = studio.subscribe((event, payload) =>
    post({ type: 'event', event, payload } as ServerMessage),
  );
  ws.on('close', unsubscribe);
  ws.on('message', async (data) => {
    let message: ClientMessage;
    try {
      message = JSON.parse(data.toString()) as ClientMessage;
    } catch {
      return post({
        type: 'response',
        seq: -1,
        ok: false,
        error: { code: 'bad-request', message: 'Messages must be JSON.' },
      });
    }
    if (message?.type !== 'request' || typeof message.seq !== 'number') {
      return post({
        type: 'response',
        seq: -1,
        ok: false,
        error: {
          code: 'bad-request',
          message: 'Expected {type:"request", seq, channel, payload}.',
        },
      });
    }
    const reply = await studio.dispatch(String(message.channel), message.payload);
    post({ type: 'response', seq: message.seq, ...reply } as ServerMessage);
  });
}
