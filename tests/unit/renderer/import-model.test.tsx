import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { RequestOf, ResponseOf } from '../../../app/contract/index.ts';
import { ClientError } from '../../../renderer/src/client/index.ts';
import { deferred, makeRun } from './fake-client.ts';
import { fakeLayoutEachTest } from './render-app.tsx';
import { openRun, twoRunsClient, typeInto } from './run-detail.ts';
import { info } from './training-client.ts';

fakeLayoutEachTest();

const CSV = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];

function preview(classes: string[]): ResponseOf<'model-import-preview'> {
  return {
    format: 'keras2-h5',
    detail: 'Keras 2.13.1 HDF5 (.h5)',
    inputShape: [48, 48, 1],
    classes: classes as ResponseOf<'model-import-preview'>['classes'],
    range: '0,1',
    layers: 9,
    params: 123456,
    notes: [
      'The last layer (dense) ends in linear, not softmax: softmax was applied to its outputs.',
    ],
    samples: [
      { imageId: 1, label: 'happy', predicted: 'happy', confidence: 0.9 },
      { imageId: 2, label: 'sad', predicted: 'angry', confidence: 0.5 },
    ],
  };
}

describe('Runs page: Import model…', () => {
  it('previews with the FER-2013 CSV preset before Import is allowed, then saves and selects the run', async () => {
    const client = twoRunsClient();
    const previewReply = deferred<ResponseOf<'model-import-preview'>>();
    client.handlers['model-import-preview'] = () => previewReply.promise;
    client.handlers['model-import'] = () => ({ ...preview(CSV), runId: 9 });
    await openRun(client, 4);
    fireEvent.click(screen.getByTestId('import-model-open'));
    typeInto('import-model-path', ' /models/fer.h5 ');
    typeInto('import-model-order', 'csv');
    const save = screen.getByTestId('import-model-save') as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.click(screen.getByTestId('import-model-preview'));
    expect(client.requestsTo('model-import-preview')).toEqual([
      { path: '/models/fer.h5', classes: CSV },
    ]);
    act(() =>
      client.emit('model-import-progress', {
        path: '/models/fer.h5',
        fraction: 0.7,
        stage: 'predicting 10 of 21 images',
      }),
    );
    const bar = screen.getByTestId('import-model-progress');
    expect(bar.getAttribute('aria-valuenow')).toBe('70');
    expect(screen.getByText('predicting 10 of 21 images')).toBeTruthy();
    await act(async () => previewReply.resolve(preview(CSV)));
    expect(screen.getAllByTestId('import-model-sample')).toHaveLength(2);
    expect(screen.getByTestId('import-model-accuracy').textContent).toBe(
      '1 of 2 catalogue images predicted as labelled.',
    );
    expect(screen.getByTestId('import-model-facts').textContent).toMatch(/softmax was applied/);
    // Changing a setting invalidates the preview: Import waits for a new one.
    typeInto('import-model-range', '-1,1');
    expect(save.disabled).toBe(true);
    typeInto('import-model-range', '');
    expect(save.disabled).toBe(false);
    const runs = [makeRun(9), makeRun(4)];
    client.handlers['runs-list'] = () => ({ runs });
    fireEvent.click(save);
    await waitFor(() => expect(screen.queryByTestId('import-model-path')).toBeNull());
    expect(client.requestsTo('model-import')).toEqual([{ path: '/models/fer.h5', classes: CSV }]);
  });

  it('Browse… picks the model file where a native picker exists, and is absent in browser mode', async () => {
    const client = twoRunsClient();
    client.handlers['app-info'] = () => ({ ...info, mode: 'electron', canPickFolder: true });
    client.handlers['dialog-pick-model'] = () => ({
      path: '/home/u/emotion_classifier_final.keras',
    });
    await openRun(client, 4);
    fireEvent.click(screen.getByTestId('import-model-open'));
    fireEvent.click(await screen.findByTestId('import-model-browse'));
    await waitFor(() =>
      expect((screen.getByTestId('import-model-path') as HTMLInputElement).value).toBe(
        '/home/u/emotion_classifier_final.keras',
      ),
    );
    expect(client.requestsTo('dialog-pick-model')).toHaveLength(1);

    cleanup();
    await openRun(twoRunsClient(), 4);
    fireEvent.click(screen.getByTestId('import-model-open'));
    await screen.findByTestId('import-model-path');
    expect(screen.queryByTestId('import-model-browse')).toBeNull();
  });

  it('shows the core’s refusal in words and keeps the dialog', async () => {
    const client = twoRunsClient();
    client.handlers['model-import-preview'] = (request: RequestOf<'model-import-preview'>) => {
      throw new ClientError(
        'unsupported',
        `Layer 3 (Lambda "lambda") cannot be imported: Lambda layers are not supported. (${request.path})`,
      );
    };
    await openRun(client, 4);
    fireEvent.click(screen.getByTestId('import-model-open'));
    typeInto('import-model-path', '/models/lambda.h5');
    fireEvent.click(screen.getByTestId('import-model-preview'));
    const error = await screen.findByTestId('import-model-error');
    expect(error.textContent).toMatch(/Layer 3 \(Lambda "lambda"\)/);
    expect((screen.getByTestId('import-model-save') as HTMLButtonElement).disabled).toBe(true);
    typeInto('import-model-path', '/models/other.h5');
    expect(screen.queryByTestId('import-model-error')).toBeNull();
  });

  it('Train from this run starts a fine-tuning run with frozen layers', async () => {
    const client = twoRunsClient();
    await openRun(client, 4);
    fireEvent.click(screen.getByTestId('fine-tune-open'));
    typeInto('fine-tune-epochs', '3');
    fireEvent.click(screen.getByTestId('fine-tune-freeze'));
    typeInto('fine-tune-last', '2');
    fireEvent.click(screen.getByTestId('fine-tune-start'));
    await waitFor(() => expect(client.requestsTo('training-start')).toHaveLength(1));
    expect(client.requestsTo('training-start')[0]).toEqual({
      config: {
        epochs: 3,
        learningRate: 0.0001,
        fineTune: { fromRunId: 4, trainLastLayers: 2 },
      },
      parentRunId: 4,
    });
  });
});
