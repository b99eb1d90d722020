import { cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { App } from '../../../renderer/src/shell/app.tsx';
import { StudioProvider, createStudioStore } from '../../../renderer/src/store/store.ts';
import { connectStore, loadAll } from '../../../renderer/src/store/subscriptions.ts';
import type { FakeClient } from './fake-client.ts';

/** Mounts the whole app on a fake client the way main.tsx does, with predictable job ids. */
export function renderApp(client: FakeClient, options: { previewDebounceMs?: number } = {}) {
  let jobs = 0;
  const store = createStudioStore(client, { makeJobId: () => `job-${++jobs}`, ...options });
  const disconnect = connectStore(store, client);
  loadAll(store);
  const view = render(
    <StudioProvider store={store} client={client}>
      <App />
    </StudioProvider>,
  );
  return { store, disconnect, ...view };
}

/** happy-dom does no layout; give every element a fixed box so sizes and the virtualizer work. */
export function fakeLayout(width = 900, height = 600): () => void {
  const proto = HTMLElement.prototype;
  const saved = ['clientWidth', 'clientHeight'].map(
    (key) => [key, Object.getOwnPropertyDescriptor(proto, key)] as const,
  );
  Object.defineProperty(proto, 'clientWidth', { configurable: true, get: () => width });
  Object.defineProperty(proto, 'clientHeight', { configurable: true, get: () => height });
  return () => {
    for (const [key, descriptor] of saved) {
      if (descriptor) Object.defineProperty(proto, key, descriptor);
      else delete (proto as unknown as Record<string, unknown>)[key];
    }
  };
}

/** For a whole test file: a fixed layout box before each test, unmount and restore after it. */
export function fakeLayoutEachTest(width = 900, height = 600): void {
  let restoreLayout: () => void = () => {};
  beforeEach(() => {
    restoreLayout = fakeLayout(width, height);
  });
  afterEach(() => {
    cleanup();
    restoreLayout();
  });
}

/**
 * happy-dom does not lay out or scroll; make `grid` do what a browser would: its scroll height is
 * its first child's height, and scrollTo scrolls and fires `scroll`. Returns each requested top.
 */
export function fakeScrolling(grid: HTMLElement): number[] {
  const requested: number[] = [];
  Object.defineProperty(grid, 'scrollHeight', {
    get: () => parseFloat((grid.firstElementChild as HTMLElement).style.height),
  });
  grid.scrollTo = ((options: ScrollToOptions) => {
    requested.push(options.top ?? -1);
    grid.scrollTop = options.top ?? 0;
    grid.dispatchEvent(new Event('scroll'));
  }) as typeof grid.scrollTo;
  return requested;
}
