import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../app/contract/transport.ts';
import { startServer, type RunningServer } from '../../../app/server/server.ts';
import { createStudio, type Studio } from '../../../app/studio.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';

let dir: string;
let studio: Studio;
let server: RunningServer;
const token = 'test-token-0123456789abcdefghijkl';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-server-'));
  fs.mkdirSync(path.join(dir, 'web'));
  fs.writeFileSync(path.join(dir, 'web/index.html'), '<!doctype html><title>FER Studio</title>');
  studio = createStudio({ catalogPath: path.join(dir, 'c.sqlite'), dataDir: dir, mode: 'browser' });
  server = await startServer({ studio, token, staticDir: path.join(dir, 'web') });
});
afterAll(async () => {
  await server.close();
  await studio.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function connect(query = `?token=${token}`): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws${query}`);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function request(
  ws: WebSocket,
  seq: number,
  channel: string,
  payload: unknown,
  events: ServerMessage[] = [],
) {
  return new Promise<ServerMessage>((resolve) => {
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (message.type === 'response' && message.seq === seq) {
        ws.off('message', onMessage);
        resolve(message);
      } else if (message.type === 'event') events.push(message);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'request', seq, channel, payload }));
  });
}

describe('browser-mode server', () => {
  it('serves the page without a token but every /api route only with it', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/`)).status).toBe(200);
    expect((await fetch(`${base}/api/images/1.png`)).status).toBe(401);
    expect((await fetch(`${base}/api/images/1.png?token=nope`)).status).toBe(401);
    expect((await fetch(`${base}/api/images/999.png?token=${token}`)).status).toBe(404);
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('refuses WebSocket upgrades without the token', async () => {
    await expect(connect('')).rejects.toThrow(/401/);
    await expect(connect('?token=wrong')).rejects.toThrow(/401/);
  });

  it('relays contract requests, pushes progress events and serves image PNGs', async () => {
    const sample = path.join(dir, 'sample');
    await writeSampleDataset(sample, { perClass: 6, seed: 3 });
    const ws = await connect();
    const events: ServerMessage[] = [];
    const reply = await request(ws, 1, 'catalogue-import', { folder: sample, jobId: 'j1' }, events);
    expect(reply.type === 'response' && reply.ok).toBe(true);
    expect(events.some((e) => e.type === 'event' && e.event === 'catalogue-import-progress')).toBe(
      true,
    );
    expect(events.some((e) => e.type === 'event' && e.event === 'catalogue-changed')).toBe(true);

    const stats = await request(ws, 2, 'catalogue-stats', {});
    expect(stats.type === 'response' && stats.ok && (stats.result as { total: number }).total).toBe(
      42,
    );

    const key = (await request(ws, 60, 'project-list', {})) as {
      result?: { current: { imageKey: string } };
    };
    const png = await fetch(
      `http://127.0.0.1:${server.port}/api/images/${key.result?.current.imageKey}/1.png?token=${token}`,
    );
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');

    const bad = await request(ws, 3, 'catalogue-image', { id: 'one' });
    expect(bad).toMatchObject({ type: 'response', ok: false, error: { code: 'bad-request' } });
    const unknown = await request(ws, 4, 'no-such-channel', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const missing = await request(ws, 5, 'catalogue-image', { id: 12345 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    ws.close();
  });
});
