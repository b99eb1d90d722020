import path from 'node:path';
import type { EventName, EventOf } from '../../app/contract/handlers.ts';
import { createStudio, type Studio } from '../../app/studio.ts';

export interface Session {
  studio: Studio;
  events: { event: EventName; payload: unknown }[];
  call<T>(channel: string, payload: unknown): Promise<T>;
  failure(channel: string, payload: unknown): Promise<{ code: string; message: string }>;
  /** Starts a run and resolves with its id once it has finished. */
  train(config: Record<string, unknown>): Promise<number>;
  /** Resolves with the terminal training-status event of a run. */
  ended(runId: number): Promise<EventOf<'training-status'>>;
}

/** A studio over `<dir>/<name>.sqlite` (or `at`'s catalogue and data directory) that records every event. */
export function openSession(
  dir: string,
  name: string,
  at: { catalogPath?: string; dataDir?: string } = {},
): Session {
  const studio = createStudio({
    catalogPath: at.catalogPath ?? path.join(dir, `${name}.sqlite`),
    dataDir: at.dataDir ?? path.join(dir, name),
    mode: 'browser',
  });
  const events: Session['events'] = [];
  const waiters: ((e: EventOf<'training-status'>) => void)[] = [];
  studio.subscribe((event, payload) => {
    events.push({ event, payload });
    if (event === 'training-status') {
      const status = payload as EventOf<'training-status'>;
      if (['finished', 'stopped', 'failed'].includes(status.status))
        for (const w of waiters.splice(0)) w(status);
    }
  });
  const call = async <T>(channel: string, payload: unknown) => {
    const reply = await studio.dispatch(channel, payload);
    if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
    return reply.result as T;
  };
  return {
    studio,
    events,
    call,
    async failure(channel, payload) {
      const reply = await studio.dispatch(channel, payload);
      if (reply.ok) throw new Error(`${channel} unexpectedly succeeded`);
      return reply.error;
    },
    ended: (runId) =>
      new Promise((resolve) => waiters.push((e) => e.runId === runId && resolve(e))),
    async train(config) {
      const ended = new Promise<EventOf<'training-status'>>((resolve) => waiters.push(resolve));
      const { runId } = await call<{ runId: number }>('training-start', { config });
      const end = await ended;
      if (end.status !== 'finished') throw new Error(`run ${runId} ${end.status}: ${end.message}`);
      return runId;
    },
  };
}
