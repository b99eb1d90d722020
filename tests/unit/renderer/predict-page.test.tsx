import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ResponseOf } from '../../../app/contract/index.ts';
import { ClientError } from '../../../renderer/src/client/index.ts';
import { cameraErrorMessage, createFpsMeter } from '../../../renderer/src/predict/camera-errors.ts';
import { createFakeClient, makeRun, makeStats } from './fake-client.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';

fakeLayoutEachTest();

const crop = btoa(String.fromCharCode(...new Uint8Array(2304).fill(100)));
const face = (label: 'happy' | 'sad', x: number): ResponseOf<'predict-image'>['faces'][number] => ({
  box: [x, 10, 50, 50],
  score: 0.9,
  label,
  probabilities: label === 'happy' ? [0, 0, 0, 0.9, 0.1, 0, 0] : [0, 0, 0, 0.1, 0, 0.9, 0],
  crop,
});
const prediction = (faces: ResponseOf<'predict-image'>['faces']): ResponseOf<'predict-image'> => ({
  runId: 3,
  file: 'group.jpg',
  format: 'jpeg',
  width: 640,
  height: 480,
  frames: 1,
  mode: faces.length === 1 && faces[0]?.score === null ? 'whole-image' : 'detected',
  faces,
  ms: { decode: 1, detect: 2, classify: 3, total: 6 },
});

function setup(handlers: Parameters<typeof createFakeClient>[0] = {}) {
  const client = createFakeClient({
    'catalogue-stats': () => makeStats(10),
    'catalogue-list': () => ({ ids: [], labels: [], splits: [] }),
    'runs-list': () => ({ runs: [makeRun(3, { status: 'finished' })] }),
    ...handlers,
  });
  const view = renderApp(client);
  fireEvent.click(screen.getByTestId('nav-predict'));
  return { client, ...view };
}

async function dropPhoto(name = 'group.jpg') {
  const file = new File([new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3])], name, {
    type: 'image/jpeg',
  });
  fireEvent.change(screen.getByTestId('photo-input'), { target: { files: [file] } });
}

afterEach(() => vi.unstubAllGlobals());

describe('Predict page', () => {
  it('lists the faces of a photo, shows a face, and adds it with a key', async () => {
    const { client } = setup({
      'predict-image': () => prediction([face('happy', 10), face('sad', 200)]),
      'predict-add-face': () => ({ imageId: 77 }),
    });
    await dropPhoto();
    await waitFor(() =>
      expect(screen.getByTestId('photo-boxes').getAttribute('data-faces')).toBe('2'),
    );
    expect(client.requestsTo('predict-image')[0]).toMatchObject({
      file: 'group.jpg',
      detect: true,
    });
    expect(client.requestsTo('predict-image')[0]?.data).toBe(btoa('\xff\xd8\xff\x01\x02\x03'));
    // The first face is selected; → selects the next, 6 adds it as sad.
    await waitFor(() => expect(screen.getByTestId('face-detail').textContent).toContain('Face 1'));
    fireEvent.keyDown(document.body, { key: 'ArrowRight' });
    expect(screen.getByTestId('face-detail').textContent).toContain('Face 2');
    fireEvent.keyDown(document.body, { key: '6' });
    await waitFor(() => expect(client.requestsTo('predict-add-face')).toHaveLength(1));
    expect(client.requestsTo('predict-add-face')[0]).toMatchObject({
      box: [200, 10, 50, 50],
      label: 'sad',
      crop,
    });
    await waitFor(() => expect(screen.getByTestId('added-face').textContent).toContain('#77'));
  });

  it('after adding a face, Undo is enabled; after undoing it, the "added as image #" note goes', async () => {
    let added = false;
    const { store } = setup({
      'predict-image': () => prediction([face('happy', 10)]),
      'predict-add-face': () => {
        added = true;
        return { imageId: 77 };
      },
      'labels-undo-state': () => ({ canUndo: added, canRedo: false }),
      'labels-undo': () => ({ changes: [{ imageId: 77, from: 'sad', to: 'exclude' }] }),
    });
    await dropPhoto();
    await waitFor(() => expect(screen.getByTestId('face-detail').textContent).toContain('Face 1'));
    fireEvent.keyDown(document.body, { key: '6' });
    await waitFor(() => expect(screen.getByTestId('added-face').textContent).toContain('#77'));
    await waitFor(() =>
      expect(store.getState().undoState).toEqual({ canUndo: true, canRedo: false }),
    );
    await act(() => store.getState().undoLabels());
    await waitFor(() => expect(screen.queryByTestId('added-face')).toBeNull());
  });

  it('offers the whole image when no face is found, and shows a bad file’s reason', async () => {
    let calls = 0;
    const { client } = setup({
      'predict-image': (request) => {
        calls++;
        if (request.file === 'notes.jpg')
          throw new ClientError(
            'bad-request',
            'not-an-image: The content is not a JPEG, PNG, GIF, WebP or TIFF image.',
          );
        return request.detect === false
          ? prediction([{ ...face('happy', 0), score: null, box: [0, 0, 640, 480] }])
          : prediction([]);
      },
    });
    await dropPhoto();
    await waitFor(() => expect(screen.getByTestId('no-face')).toBeTruthy());
    fireEvent.click(screen.getByTestId('use-whole-image'));
    await waitFor(() =>
      expect(screen.getByTestId('photo-boxes').getAttribute('data-faces')).toBe('1'),
    );
    expect(client.requestsTo('predict-image')[1]).toMatchObject({ detect: false });
    await dropPhoto('notes.jpg');
    await waitFor(() =>
      expect(screen.getByTestId('photo-error').textContent).toContain('not a JPEG'),
    );
    // The reason code is for scripts (the CLI's --json); people read the sentence.
    expect(screen.getByTestId('photo-error').textContent).toBe(
      'The content is not a JPEG, PNG, GIF, WebP or TIFF image.',
    );
    expect(calls).toBe(3);
  });

  it('keeps the boxes on a placeholder when the browser cannot show the photo (TIFF)', async () => {
    setup({ 'predict-image': () => ({ ...prediction([face('happy', 10)]), format: 'tiff' }) });
    await dropPhoto('scan.tif');
    await waitFor(() => expect(screen.getByTestId('photo-boxes')).toBeTruthy());
    fireEvent.error(screen.getByAltText('scan.tif'));
    await waitFor(() => expect(screen.getByText(/No preview of TIFF/)).toBeTruthy());
    expect(screen.getByTestId('photo-boxes').getAttribute('data-faces')).toBe('1');
  });

  it('says when no run has a model', async () => {
    setup({ 'runs-list': () => ({ runs: [makeRun(1, { hasModel: false, status: 'stopped' })] }) });
    await waitFor(() =>
      expect(screen.getByTestId('predict-no-run').textContent).toMatch(/train one/),
    );
  });

  it('turns camera failures into messages, including a camera unplugged mid-stream', async () => {
    const getUserMedia = vi.fn();
    vi.stubGlobal('navigator', {
      ...navigator,
      mediaDevices: { getUserMedia, enumerateDevices: async () => [] },
    });
    setup();
    fireEvent.click(screen.getByTestId('tab-webcam'));
    const message = () => screen.getByTestId('webcam-message').textContent ?? '';

    getUserMedia.mockRejectedValueOnce(new DOMException('denied', 'NotAllowedError'));
    fireEvent.click(screen.getByTestId('webcam-start'));
    await waitFor(() => expect(message()).toMatch(/permission was denied/));

    getUserMedia.mockRejectedValueOnce(new DOMException('none', 'NotFoundError'));
    fireEvent.click(screen.getByTestId('webcam-start'));
    await waitFor(() => expect(message()).toMatch(/No camera found/));

    const track = new EventTarget() as EventTarget & { stop: () => void };
    track.stop = vi.fn();
    const stream = new MediaStream();
    Object.assign(stream, { getVideoTracks: () => [track], getTracks: () => [track] });
    getUserMedia.mockResolvedValueOnce(stream);
    fireEvent.click(screen.getByTestId('webcam-start'));
    await waitFor(() => expect(screen.getByTestId('webcam-stop')).toBeTruthy());
    act(() => {
      track.dispatchEvent(new Event('ended'));
    });
    await waitFor(() => expect(message()).toMatch(/disconnected/));
    expect(screen.getByTestId('webcam-start')).toBeTruthy();
  });
});

describe('camera helpers', () => {
  it('names each getUserMedia failure', () => {
    expect(cameraErrorMessage(new DOMException('x', 'NotReadableError'))).toMatch(/in use/);
    expect(cameraErrorMessage(new Error('odd'))).toMatch(/could not be started: odd/);
  });

  it('measures frames per second over a sliding window', () => {
    const meter = createFpsMeter(2000);
    let fps = 0;
    for (let t = 0; t <= 3000; t += 200) fps = meter.tick(t);
    expect(fps).toBeCloseTo(5, 5);
  });

  it('names imported runs by name and file, and says which run gave a photo its faces', async () => {
    const imported = {
      name: 'kaggle net',
      fileName: 'fer.h5',
      sha256: 'ab',
      format: 'keras2-h5' as const,
      detail: '',
      layers: 3,
      params: 10,
      notes: [],
    };
    setup({
      'runs-list': () => ({
        runs: [makeRun(6, { imported, bestValAcc: null }), makeRun(3, { name: 'baseline' })],
      }),
      'predict-image': () => prediction([face('happy', 10)]),
    });
    const picker = (await screen.findByTestId('predict-run')) as HTMLSelectElement;
    await waitFor(() => expect(picker.options).toHaveLength(3));
    const texts = Array.from(picker.options).map((o) => o.textContent);
    expect(texts[0]).toBe('Best trained run');
    expect(texts[1]).toBe('Run #6 · kaggle net · imported from fer.h5');
    expect(texts[2]).toContain('Run #3 · baseline');
    await dropPhoto();
    await waitFor(() =>
      expect(screen.getByTestId('photo-run').textContent).toBe('by Run #3 · baseline'),
    );
  });
});
