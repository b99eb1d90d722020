import type { BrowserWindow, Dialog } from 'electron';
import type { Handlers } from '../app/contract/handlers.ts';

type PickDialog = Pick<Dialog, 'showOpenDialog'>;
type Options = Parameters<Dialog['showOpenDialog']>[0];

/** The first chosen path, or null when cancelled; modal to the focused window when there is one. */
async function pickOne(
  dialog: PickDialog,
  focusedWindow: () => BrowserWindow | null,
  options: Options,
): Promise<string | null> {
  const window = focusedWindow();
  const result = window
    ? await dialog.showOpenDialog(window, options)
    : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

/** The native folder picker behind `dialog-pick-folder`. */
export function createPickFolder(
  dialog: PickDialog,
  focusedWindow: () => BrowserWindow | null,
): Handlers['dialog-pick-folder'] {
  return async () => ({
    folder: await pickOne(dialog, focusedWindow, {
      title: 'Choose a dataset folder',
      properties: ['openDirectory'],
    }),
  });
}

/** The native file picker behind `dialog-pick-model`: Keras files, or a TensorFlow.js model.json. */
export function createPickModel(
  dialog: PickDialog,
  focusedWindow: () => BrowserWindow | null,
): Handlers['dialog-pick-model'] {
  return async () => ({
    path: await pickOne(dialog, focusedWindow, {
      title: 'Choose a model to import',
      properties: ['openFile'],
      filters: [
        { name: 'Keras or TensorFlow.js model', extensions: ['keras', 'h5', 'hdf5', 'json'] },
        { name: 'All files', extensions: ['*'] },
      ],
    }),
  });
}
