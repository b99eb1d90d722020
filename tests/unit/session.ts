import path from 'node:path';
import type { z } from 'zod';
import {
  eventSchemas,
  handlerSchemas,
  type Channel,
  type EventName,
  type EventOf,
} from '../../app/contract/handlers.ts';
import { createStudio, type Studio } from '../../app/studio.ts';

/**
 * The contract's schemas checked on what the core sends back, which the app itself only types:
 * a response or event that does not match its schema is a test failure naming the field.
 */
export function contractMismatch(
  kind: 'response' | 'event',
  name: string,
  value: unknown,
): string | null {
  const schema: z.ZodType | undefined =
    kind === 'response'
      ? Object.hasOwn(handlerSchemas, name)
        ? handlerSchemas[name as Channel].response
        : undefined
      : Object.hasOwn(eventSchemas, name)
        ? eventSchemas[name as EventName]
        : undefined;
  if (!schema) return `${kind} ${name}: not in the contract`;
  const checked = schema.safeParse(value);
  if (checked.success) return null;
  const issues = checked.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return `${kind} ${name} does not match its schema: ${issues.join('; ')}`;
}

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
  const mismatches: string[] = [];
  /** Throws the first response or event that broke the contract since the session began. */
  const checkContract = () => {
    if (mismatches.length > 0) throw new Error(mismatches[0]);
  };
  const waiters: ((e: EventOf<'training-status'>) => void)[] = [];
  studio.subscribe((event, payload) => {
    events.push({ event, payload });
    const mismatch = contractMismatch('event', event, payload);
    if (mismatch) mismatches.push(mismatch);
    if (event === 'training-status') {
      const status = payload as EventOf<'training-status'>;
      if (['finished', 'stopped', 'failed'].includes(status.status))
        for (const w of waiters.splice(0)) w(status);
    }
  });
  const call = async <T>(channel: string, payload: unknown) => {
    const reply = await studio.dispatch(channel, payload);
    checkContract();
    if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
    const mismatch = contractMismatch('response', channel, reply.result);
    if (mismatch) throw new Error(mismatch);
    return reply.result as T;
  };
  return {
    studio,
    events,
    call,
    async failure(channel, payload) {
      const reply = await studio.dispatch(channel, payload);
      checkContract();
      if (reply.ok) throw new Error(`${channel} unexpectedly succeeded`);
      return reply.error;
    },
    ended: (runId) =>
      new Promise((resolve) => waiters.push((e) => e.runId === runId && resolve(e))),
    async train(config) {
      const ended = new Promise<EventOf<'training-status'>>((resolve) => waiters.push(resolve));
      const { runId } = await call<{ runId: number }>('training-start', { config });
      const end = await ended;
      checkContract();
      if (end.status !== 'finished') throw new Error(`run ${runId} ${end.status}: ${end.message}`);
      return runId;
    },
  };
}
