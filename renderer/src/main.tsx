import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './client/index.ts';
import { App } from './shell/app.tsx';
import { createStudioStore } from './store/store.ts';
import type { StudioStore } from './store/store.ts';
import { StudioProvider } from './store/store.ts';
import { connectStore, loadAll } from './store/subscriptions.ts';
import './styles.css';
import './train/training.css';
import './runs/runs.css';
import './runs/compare.css';
import './runs/import-model.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);

let store: StudioStore | null = null;
try {
  const client = createClient({
    onConnectionChange(connected) {
      if (!store) return;
      const wasConnected = store.getState().connected;
      store.setState({ connected });
      if (connected && !wasConnected) loadAll(store);
    },
  });
  store = createStudioStore(client);
  connectStore(store, client);
  loadAll(store);
  root.render(
    <StrictMode>
      <StudioProvider store={store} client={client}>
        <App />
      </StudioProvider>
    </StrictMode>,
  );
} catch (error) {
  root.render(
    <p className="invalid centered" role="alert">
      {error instanceof Error ? error.message : String(error)}
    </p>,
  );
}
