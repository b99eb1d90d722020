import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ClientError } from '../../../renderer/src/client/index.ts';
import { emptyStats, makeStats } from './fake-client.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';
import { trainingClient } from './training-client.ts';

fakeLayoutEachTest();

const trainButton = () => screen.getByTestId('train-start') as HTMLButtonElement;

async function openTrain(client: ReturnType<typeof trainingClient>) {
  const view = renderApp(client);
  fireEvent.click(screen.getByTestId('nav-train'));
  await screen.findByTestId('train-page');
  await waitFor(() => expect(screen.queryByTestId('train-epochs')).not.toBeNull());
  return view;
}

describe('train page and the catalogue', () => {
  it('on an empty catalogue says what is missing and keeps Train disabled', async () => {
    const client = trainingClient();
    client.handlers['catalogue-stats'] = () => emptyStats();
    await openTrain(client);
    await waitFor(() =>
      expect(screen.getByTestId('train-status').getAttribute('data-status')).toBe('blocked'),
    );
    expect(screen.getByTestId('train-status').closest('p')?.textContent).toMatch(
      /no labelled images/i,
    );
    expect(screen.queryByText(/Ready\./)).toBeNull();
    expect(trainButton().disabled).toBe(true);
    fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true });
    expect(client.requestsTo('training-start')).toHaveLength(0);
  });

  it('one class with images is not trainable either', async () => {
    const client = trainingClient();
    const one = emptyStats();
    one.classes.happy = { train: 40, test: 10 };
    one.total = 50;
    client.handlers['catalogue-stats'] = () => one;
    await openTrain(client);
    await waitFor(() => expect(screen.getByTestId('train-status').textContent).toMatch(/class/));
    expect(trainButton().disabled).toBe(true);
  });

  it('an old refusal goes away once images are imported, and Train is enabled', async () => {
    const client = trainingClient();
    let stats = emptyStats();
    client.handlers['catalogue-stats'] = () => stats;
    client.handlers['training-start'] = () => {
      throw new ClientError('bad-request', 'Cannot train: The dataset is empty.');
    };
    const { store } = await openTrain(client);
    // A refusal can come from a catalogue that emptied while the page showed images.
    act(() => store.setState({ stats: makeStats(10) }));
    fireEvent.click(trainButton());
    await screen.findByTestId('train-error');
    stats = makeStats(10);
    act(() => client.emit('catalogue-changed', { reason: 'import' }));
    await waitFor(() => expect(screen.queryByTestId('train-error')).toBeNull());
    expect(screen.getByTestId('train-status').getAttribute('data-status')).toBe('idle');
    expect(trainButton().disabled).toBe(false);
  });
});
