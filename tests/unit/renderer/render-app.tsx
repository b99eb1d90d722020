import { render } from '@testing-library/react';
import { App } from '../../../renderer/src/components/app.tsx';
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
