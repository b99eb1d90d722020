import type { BrowserWindow, Dialog } from 'electron';
import type { Handlers } from '../app/contract/handlers.ts';

/** The native folder picker behind `dialog-pick-folder`, modal to the focused window when there is one. */
export function createPickFolder(
  dialog: Pick<Dialog, 'showOpenDialog'>,
  focusedWindow: () => BrowserWindow | null,
): Handlers['dialog-pick-folder'] {
  return async () => {
    const options = { title: 'Choose a dataset folder', properties: ['openDirectory' as const] };
    const window = focusedWindow();
    const result = window
      ? await dialog.showOpenDialog(window, options)
      : await dialog.showOpenDialog(options);
    return { folder: result.canceled ? null : (result.filePaths[0] ?? null) };
  };
}
