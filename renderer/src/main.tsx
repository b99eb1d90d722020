import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './client/index.ts';
import { App } from './shell/app.tsx';
import { createStudioStore } from './store/store.ts';
import type { StudioStore } from './store/store.ts';
import { StudioProvider } from './store/store.ts';
import { connectStore, loadAll } from './store/subscriptions.ts';
// Style sheets in cascade order: a later sheet wins a tie, so the order matters (predict.css and
// evaluate.css load with their pages, before these).
import './shell/base.css';
import './shell/layout.css';
import './start/start.css';
import './dataset/imports.css';
import './dataset/dataset.css';
import './components/image-detail.css';
import './components/dialog.css';
import './components/relabel.css';
import './shell/nav.css';
import './train/training.css';
import './runs/runs.css';
import './evaluate/evaluate-page.css';
import './runs/run-actions.css';
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
