import type { StateCreator } from 'zustand';
import type { ClassName, ResponseOf } from '../../../app/contract/index.ts';
import { errorMessage } from '../client/index.ts';
import type { StoreDeps, StudioState } from './store.ts';

export type Prediction = ResponseOf<'predict-image'>;

/** One photo on the Predict page. */
export interface PredictPhoto {
  key: number;
  file: string;
  /** data: URL of the file for display (the pages' CSP allows data: images, not blob:). */
  url: string;
  /** Kept so "use the whole image" and a run change can predict again without re-reading. */
  data: string;
  status: 'predicting' | 'done' | 'error';
  result: Prediction | null;
  error: string | null;
}

export interface FaceRef {
  photo: number;
  face: number;
}

export interface PredictSlice {
  /** The run that predicts; null = the core's default (the best trained run). */
  predictRunId: number | null;
  photos: readonly PredictPhoto[];
  selectedFace: FaceRef | null;
  /** Image ids of faces added to the catalogue this session, by "photo:face". */
  addedFaces: Readonly<Record<string, number>>;
  setPredictRun(runId: number | null): void;
  addPhoto(file: string, mime: string, data: string): Promise<void>;
  /** detect = false: the whole image as one face (offered when no face was found). */
  predictPhotoAgain(key: number, detect?: boolean): Promise<void>;
  removePhoto(key: number): void;
  selectFace(ref: FaceRef | null): void;
  addFaceToCatalogue(ref: FaceRef, label: ClassName): Promise<void>;
}

/** Bytes → base64 in chunks (a spread of millions of arguments overflows the stack). */
export function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export function createPredictSlice(
  deps: StoreDeps,
): StateCreator<StudioState, [], [], PredictSlice> {
  let nextKey = 1;
  return (set, get) => {
    const patch = (key: number, change: Partial<PredictPhoto>) =>
      set({ photos: get().photos.map((p) => (p.key === key ? { ...p, ...change } : p)) });

    async function predict(key: number, detect: boolean): Promise<void> {
      const photo = get().photos.find((p) => p.key === key);
      if (!photo) return;
      patch(key, { status: 'predicting', error: null });
      const runId = get().predictRunId;
      try {
        const result = await deps.client.invoke('predict-image', {
          file: photo.file,
          data: photo.data,
          detect,
          ...(runId === null ? {} : { runId }),
        });
        patch(key, { status: 'done', result });
        if (get().selectedFace === null && result.faces.length > 0)
          set({ selectedFace: { photo: key, face: 0 } });
      } catch (error) {
        patch(key, { status: 'error', error: photoProblem(errorMessage(error)), result: null });
      }
    }

    return {
      predictRunId: null,
      photos: [],
      selectedFace: null,
      addedFaces: {},

      setPredictRun(runId) {
        set({ predictRunId: runId });
        for (const p of get().photos) void predict(p.key, p.result?.mode !== 'whole-image');
      },

      async addPhoto(file, mime, data) {
        const key = nextKey++;
        const url = `data:${mime || 'image/jpeg'};base64,${data}`;
        set({
          photos: [
            ...get().photos,
            { key, file, url, data, status: 'predicting', result: null, error: null },
          ],
        });
        await predict(key, true);
      },

      predictPhotoAgain: (key, detect = true) => predict(key, detect),

      removePhoto(key) {
        const selected = get().selectedFace;
        set({
          photos: get().photos.filter((p) => p.key !== key),
          ...(selected?.photo === key ? { selectedFace: null } : {}),
        });
      },

      selectFace(ref) {
        set({ selectedFace: ref });
      },

      async addFaceToCatalogue(ref, label) {
        const photo = get().photos.find((p) => p.key === ref.photo);
        const face = photo?.result?.faces[ref.face];
        if (!photo || !face) return;
        try {
          const { imageId } = await deps.client.invoke('predict-add-face', {
            file: photo.file,
            box: face.box,
            crop: face.crop,
            label,
          });
          set({ addedFaces: { ...get().addedFaces, [`${ref.photo}:${ref.face}`]: imageId } });
          // The add is on the undo stack: the Undo button must say so.
          void get().refreshUndoState();
          get().showToast(
            `Face added to the training set as ${label} (image #${imageId}); Ctrl+Z undoes it`,
          );
        } catch (error) {
          get().showToast(errorMessage(error), true);
        }
      },
    };
  };
}

/**
 * A photo's problem arrives as `<reason>: <sentence>` (the CLI's --json reports the reason);
 * people read only the sentence.
 */
export function photoProblem(message: string): string {
  return message.replace(/^[a-z]+(?:-[a-z]+)+: /, '');
}
