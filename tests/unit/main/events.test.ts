import { describe, expect, it, vi } from 'vitest';
import { eventNames } from '../../../app/contract/handlers.ts';
import type { EventName, EventOf } from '../../../app/contract/handlers.ts';
import { forwardEvents } from '../../../main/events.ts';
import { createFakeStudio } from './fake-studio.ts';

function fakeWindow(destroyed = false) {
  return { send: vi.fn(), isDestroyed: () => destroyed };
}

function emit(
  listeners: ReturnType<typeof createFakeStudio>['listeners'],
  event: string,
  payload: unknown,
) {
  for (const listener of listeners) listener(event as EventName, payload as EventOf<EventName>);
}

describe('forwardEvents', () => {
  it('sends every contract event to every live window', () => {
    const { studio, listeners } = createFakeStudio();
    const windows = [fakeWindow(), fakeWindow(), fakeWindow(true)];
    forwardEvents(studio, () => windows);
    for (const event of eventNames) emit(listeners, event, { probe: event });
    for (const window of windows.slice(0, 2)) {
      expect(window.send.mock.calls).toEqual(eventNames.map((event) => [event, { probe: event }]));
    }
    expect(windows[2]?.send).not.toHaveBeenCalled();
  });

  it('asks for the window list on each event, so new windows get later events', () => {
    const { studio, listeners } = createFakeStudio();
    const windows = [fakeWindow()];
    forwardEvents(studio, () => windows);
    const late = fakeWindow();
    windows.push(late);
    emit(listeners, 'catalogue-changed', { reason: 'import' });
    expect(late.send).toHaveBeenCalledWith('catalogue-changed', { reason: 'import' });
  });

  it('drops names outside the contract and stops after unsubscribe', () => {
    const { studio, listeners } = createFakeStudio();
    const window = fakeWindow();
    const unsubscribe = forwardEvents(studio, () => [window]);
    emit(listeners, 'not-an-event', {});
    expect(window.send).not.toHaveBeenCalled();
    unsubscribe();
    expect(listeners.size).toBe(0);
  });
});
