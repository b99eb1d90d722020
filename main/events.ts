import { eventNames } from '../app/contract/handlers.ts';
import type { Studio } from '../app/studio.ts';

export interface EventTarget {
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

/** Relays every studio event to every open window; returns the unsubscribe function. */
export function forwardEvents(
  studio: Pick<Studio, 'subscribe'>,
  targets: () => readonly EventTarget[],
): () => void {
  const known = new Set<string>(eventNames);
  return studio.subscribe((event, payload) => {
    if (!known.has(event)) return;
    for (const target of targets()) {
      if (!target.isDestroyed()) target.send(event, payload);
    }
  });
}
