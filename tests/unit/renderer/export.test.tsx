import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { RequestOf } from '../../../app/contract/index.ts';
import { ClientError } from '../../../renderer/src/client/index.ts';
import { deferred } from './fake-client.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';
import { openRun, twoRunsClient, typeInto } from './run-detail.ts';

fakeLayoutEachTest();

describe('export', () => {
  it('exports a run’s model in the chosen format and lists the files', async () => {
    const client = twoRunsClient();
    const reply = deferred<{ files: string[] }>();
    client.handlers['export-model'] = () => reply.promise;
    await openRun(client, 4);
    const out = (await screen.findByTestId('export-out')) as HTMLInputElement;
    expect(out.value).toBe('');
    expect(out.placeholder).toContain('run-4');
    expect((screen.getByTestId('export-start') as HTMLButtonElement).disabled).toBe(true);
    typeInto('export-format', 'onnx');
    typeInto('export-out', ' /srv/out/run-4.onnx ');
    fireEvent.click(screen.getByTestId('export-start'));
    expect(client.requestsTo('export-model')).toEqual([
      { runId: 4, format: 'onnx', out: '/srv/out/run-4.onnx', force: false },
    ]);
    act(() =>
      client.emit('export-progress', {
        target: '/srv/out/run-4.onnx',
        fraction: 0.4,
        stage: 'weights',
      }),
    );
    const bar = screen.getByTestId('export-progress');
    expect(bar.getAttribute('aria-valuenow')).toBe('40');
    await act(async () =>
      reply.resolve({ files: ['/srv/out/run-4.onnx', '/srv/out/run-4.onnx.preprocessing.json'] }),
    );
    const result = await screen.findByTestId('export-result');
    expect(result.querySelectorAll('li')).toHaveLength(2);
    expect(result.textContent).toContain('run-4.onnx.preprocessing.json');
  });

  it('switching format swaps the typed file name’s extension', async () => {
    const client = twoRunsClient();
    await openRun(client, 4);
    const out = (await screen.findByTestId('export-out')) as HTMLInputElement;
    typeInto('export-format', 'onnx');
    typeInto('export-out', '/srv/out/run-4.onnx');
    typeInto('export-format', 'keras');
    expect(out.value).toBe('/srv/out/run-4.keras');
    typeInto('export-format', 'tfjs');
    expect(out.value).toBe('/srv/out/run-4');
    typeInto('export-format', 'onnx');
    expect(out.value).toBe('/srv/out/run-4.onnx');
  });

  it('says in words that the target exists and offers Overwrite?', async () => {
    const client = twoRunsClient();
    client.handlers['export-model'] = (request: RequestOf<'export-model'>) => {
      if (!request.force)
        throw new ClientError(
          'already-exists',
          '/srv/out/m already exists. Choose another name, or overwrite it.',
        );
      return { files: ['/srv/out/m/model.json'] };
    };
    await openRun(client, 4);
    typeInto('export-out', '/srv/out/m');
    fireEvent.click(screen.getByTestId('export-force'));
    fireEvent.click(screen.getByTestId('export-force'));
    fireEvent.click(screen.getByTestId('export-start'));
    const error = await screen.findByTestId('export-error');
    expect(error.getAttribute('data-code')).toBe('already-exists');
    // The code is for scripts (data-code, the CLI's --json); people read the title and sentence.
    expect(error.textContent).toBe(
      'Already exists/srv/out/m already exists. Choose another name, or overwrite it.',
    );
    typeInto('export-out', '/srv/out/m2'); // a new name: the error was about the old one
    expect(screen.queryByTestId('export-error')).toBeNull();
    expect(screen.queryByTestId('export-overwrite')).toBeNull();
    typeInto('export-out', '/srv/out/m');
    fireEvent.click(screen.getByTestId('export-start'));
    fireEvent.click(await screen.findByTestId('export-overwrite'));
    await screen.findByTestId('export-result');
    expect(client.requestsTo('export-model').map((r) => r.force)).toEqual([false, false, true]);
    expect(screen.queryByTestId('export-error')).toBeNull();
  });

  it('does not offer export for a run without a model', async () => {
    const client = twoRunsClient();
    await openRun(client, 5);
    await screen.findByTestId('run-config');
    expect(screen.queryByTestId('export-format')).toBeNull();
  });

  it('exports the cleaned dataset from the Dataset page', async () => {
    const client = twoRunsClient();
    client.handlers['export-dataset'] = ({ force }) => {
      if (!force) throw new ClientError('unsupported', 'no space');
      return { images: 1200, excluded: 7, changes: 31 };
    };
    renderApp(client);
    await screen.findByTestId('dataset-export-out');
    typeInto('dataset-export-out', '/srv/clean');
    fireEvent.click(screen.getByTestId('dataset-export-start'));
    const error = await screen.findByTestId('dataset-export-error');
    expect(error.getAttribute('data-code')).toBe('unsupported');
    expect(screen.queryByTestId('dataset-export-overwrite')).toBeNull();
    fireEvent.click(screen.getByTestId('dataset-export-force'));
    fireEvent.click(screen.getByTestId('dataset-export-churn'));
    fireEvent.click(screen.getByTestId('dataset-export-start'));
    const result = await screen.findByTestId('dataset-export-result');
    expect(result.textContent).toBe(
      '1,200 images written · 7 excluded · 31 changed labels in label-changes.csv',
    );
    expect(client.requestsTo('export-dataset')).toEqual([
      { out: '/srv/clean', force: false, churn: false },
      { out: '/srv/clean', force: true, churn: true },
    ]);
  });

  it('a relative path is titled as such, not with a vague "Cannot do that"', async () => {
    const client = twoRunsClient();
    client.handlers['export-model'] = () => {
      throw new ClientError('not-a-full-path', '"run-4" is not a full path. Type the whole path.');
    };
    await openRun(client, 4);
    typeInto('export-out', 'run-4');
    fireEvent.click(screen.getByTestId('export-start'));
    const error = await screen.findByTestId('export-error');
    expect(error.querySelector('strong')?.textContent).toBe('Not a full path');
  });
});
