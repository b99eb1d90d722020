import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { shutdownWithin } from '../../../app/cli/shutdown.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('shutdownWithin', () => {
  it('exits after the deadline when closing never finishes', async () => {
    vi.useFakeTimers();
    try {
      const exit = vi.fn();
      const log = vi.fn();
      void shutdownWithin(() => new Promise<void>(() => {}), 3000, exit, log);
      await vi.advanceTimersByTimeAsync(2999);
      expect(exit).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(exit).toHaveBeenCalledWith(1);
      expect(log.mock.calls[0]?.[0]).toContain('stopping anyway');
    } finally {
      vi.useRealTimers();
    }
  });

  it('exits with 0 once closing finished in time', async () => {
    const exit = vi.fn();
    await shutdownWithin(async () => {}, 3000, exit, vi.fn());
    expect(exit).toHaveBeenCalledWith(0);
  });
});

describe('fer-studio serve', () => {
  it('exits within a few seconds of SIGTERM after serving a client', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-serve-term-'));
    const child = spawn(process.execPath, ['app/cli/main.ts', 'serve', '--data-dir', dataDir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
          const match = /running at (\S+)/.exec(out);
          if (match?.[1]) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const page = new URL(url);
      // A client that stays connected: the socket must not hold the process.
      const ws = new WebSocket(`ws://${page.host}/api/ws${page.search}`);
      await new Promise((resolve) => ws.addEventListener('open', resolve));
      const started = Date.now();
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const code = await exited;
      expect(Date.now() - started).toBeLessThan(5000);
      expect(code).toBe(0);
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
