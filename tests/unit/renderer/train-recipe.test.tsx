import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../../../app/training/config.ts';
import { ClientError } from '../../../renderer/src/client/index.ts';
import { makeTrainingOptions } from './fake-client.ts';
import type { FakeClient } from './fake-client.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';
import { trainingClient } from './training-client.ts';

fakeLayoutEachTest();

const input = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;
const select = (testId: string) => screen.getByTestId(testId) as HTMLSelectElement;

async function openTrainPage(client: FakeClient) {
  renderApp(client, { previewDebounceMs: 0 });
  fireEvent.click(screen.getByTestId('nav-train'));
  await screen.findByTestId('train-page');
  await waitFor(() => expect(input('train-epochs').value).toBe('30'));
}

/** A core that checks the recipe the way the real one does. */
function checkingClient() {
  const client = trainingClient();
  client.handlers['training-start'] = ({ config }) => {
    try {
      parseTrainConfig(config);
    } catch (error) {
      throw new ClientError('bad-request', (error as Error).message);
    }
    return { runId: 7 };
  };
  return client;
}

describe('train page recipe options', () => {
  it('sends SGD, a cosine schedule with warm-up, random crops, smoothing, dropout and a seed', async () => {
    const client = checkingClient();
    await openTrainPage(client);
    fireEvent.change(select('train-optimizer'), { target: { value: 'sgd' } });
    fireEvent.change(select('train-schedule'), { target: { value: 'cosine' } });
    fireEvent.change(input('train-warmup'), { target: { value: '2' } });
    fireEvent.change(input('train-crop'), { target: { value: '44' } });
    fireEvent.change(input('train-label-smoothing'), { target: { value: '10' } });
    fireEvent.change(input('train-dropout'), { target: { value: '0.2' } });
    fireEvent.change(input('train-lr'), { target: { value: '0.01' } });
    expect(input('train-seed').value).toBe('1');
    fireEvent.change(input('train-seed'), { target: { value: '7' } });
    // Recalibration is on by default (measured, README); the box turns it off.
    expect(input('train-recalibrate-bn').checked).toBe(true);
    fireEvent.click(screen.getByTestId('train-recalibrate-bn'));
    fireEvent.click(screen.getByTestId('train-start'));
    await waitFor(() => expect(client.requestsTo('training-start')).toHaveLength(1));
    expect(client.requestsTo('training-start')[0]?.config).toMatchObject({
      learningRate: 0.01,
      optimizer: { name: 'sgd', momentum: 0.9 },
      schedule: { kind: 'cosine', warmupEpochs: 2 },
      augmentation: { crop: { size: 44, padding: 0 } },
      labelSmoothing: 0.1,
      dropout: 0.2,
      recalibrateBatchNorm: false,
      seed: 7,
    });
    expect(screen.queryByTestId('train-error')).toBeNull();
  });

  it('switching optimizer switches a learning rate left at the old one’s suggestion, not a typed one', async () => {
    await openTrainPage(checkingClient());
    const startRate = input('train-lr').value;
    const other = select('train-optimizer').value === 'adam' ? 'sgd' : 'adam';
    const suggested = { adam: '0.001', sgd: '0.05' };
    expect(startRate).toBe(suggested[select('train-optimizer').value as 'adam' | 'sgd']);
    fireEvent.change(select('train-optimizer'), { target: { value: other } });
    expect(input('train-lr').value).toBe(suggested[other]);
    if (other === 'sgd') expect(input('train-weight-decay').value).toBe('0.0005');
    fireEvent.change(input('train-lr'), { target: { value: '0.003' } });
    fireEvent.change(select('train-optimizer'), {
      target: { value: other === 'adam' ? 'sgd' : 'adam' },
    });
    expect(input('train-lr').value).toBe('0.003');
  });

  it('follows the suggestions and warm-up threshold the core sends, not numbers of its own', async () => {
    const client = checkingClient();
    const options = makeTrainingOptions();
    client.handlers['training-options'] = () => ({
      ...options,
      dependentDefaults: {
        optimizers: {
          adam: { learningRate: 0.002, weightDecay: 0 },
          sgd: { learningRate: 0.05, weightDecay: 1e-4 },
        },
        warmupFromEpochs: 10,
      },
    });
    await openTrainPage(client);
    expect(select('train-optimizer').value).toBe('sgd');
    fireEvent.change(input('train-weight-decay'), { target: { value: '0.0001' } });
    fireEvent.change(select('train-optimizer'), { target: { value: 'adam' } });
    expect(input('train-lr').value).toBe('0.002');
    expect(input('train-weight-decay').value).toBe('0');
    fireEvent.change(input('train-epochs'), { target: { value: '8' } });
    expect(input('train-warmup').value).toBe('0');
    fireEvent.change(input('train-epochs'), { target: { value: '12' } });
    expect(input('train-warmup').value).toBe('1');
  });

  it('a warm-up left at its automatic value follows the epochs, so a 1-epoch run trains; a typed one stays', async () => {
    const client = checkingClient();
    await openTrainPage(client);
    expect(input('train-warmup').value).toBe('1');
    fireEvent.change(input('train-epochs'), { target: { value: '1' } });
    expect(input('train-warmup').value).toBe('0');
    fireEvent.click(screen.getByTestId('train-start'));
    await waitFor(() => expect(client.requestsTo('training-start')).toHaveLength(1));
    expect(client.requestsTo('training-start')[0]?.config).toMatchObject({
      epochs: 1,
      schedule: { warmupEpochs: 0 },
    });
    expect(screen.queryByTestId('train-error')).toBeNull();
    fireEvent.change(input('train-epochs'), { target: { value: '20' } });
    expect(input('train-warmup').value).toBe('1');
    fireEvent.change(input('train-warmup'), { target: { value: '3' } });
    fireEvent.change(input('train-epochs'), { target: { value: '2' } });
    expect(input('train-warmup').value).toBe('3');
  });

  it('the augmentation preview asks for crops and shows them at the original’s scale', async () => {
    const client = checkingClient();
    await openTrainPage(client);
    fireEvent.change(input('train-crop'), { target: { value: '40' } });
    await waitFor(() =>
      expect(client.requestsTo('training-augment-preview').at(-1)?.augmentation?.crop).toEqual({
        size: 40,
        padding: 0,
      }),
    );
    await waitFor(() => expect(screen.getByText('40×40 crop')).toBeTruthy());
    const [original, crop] = Array.from(
      screen.getByTestId('augment-preview').querySelectorAll('img'),
    );
    expect(original?.getAttribute('width')).toBe('56');
    expect(crop?.getAttribute('width')).toBe(String(Math.round((40 * 56) / 48)));
  });

  it('a recipe that cannot work is refused with the core’s sentence before any run', async () => {
    const client = checkingClient();
    await openTrainPage(client);
    fireEvent.change(select('train-schedule'), { target: { value: 'constant' } });
    fireEvent.click(screen.getByTestId('train-early-stopping'));
    fireEvent.click(screen.getByTestId('train-start'));
    const error = await screen.findByTestId('train-error');
    expect(error.textContent).toMatch(/never decays .* early stopping is off/);
    expect(error.textContent).toMatch(/cosine or step/);
  });
});
