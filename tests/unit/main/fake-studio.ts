import { vi } from 'vitest';
import type { Reply } from '../../../app/contract/transport.ts';
import type { Studio, StudioListener } from '../../../app/studio.ts';

/** A Studio whose dispatch echoes what it got, so a test can see exactly what the shell relayed. */
export function createFakeStudio() {
  const listeners = new Set<StudioListener>();
  const dispatch = vi.fn(async (channel: string, payload: unknown): Promise<Reply<unknown>> => ({
    ok: true,
    result: { channel, payload },
  }));
  const studio: Studio = {
    handlers: {} as Studio['handlers'],
    dispatch,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    imagePng: vi.fn(async (_key: string, id: number) => Buffer.from(`png-${id}`)),
    close: vi.fn(async () => {}),
  };
  return { studio, dispatch, listeners };
}
