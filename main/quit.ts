import type { App } from 'electron';
import type { Studio } from '../app/studio.ts';

/**
 * Holds the first quit until the studio has closed (SQLite checkpoint, jobs cancelled), then quits for real.
 */
export function closeStudioOnQuit(
  app: Pick<App, 'on' | 'quit'>,
  studio: Pick<Studio, 'close'>,
  log: (message: string) => void = console.error,
): void {
  let state: 'open' | 'closing' | 'closed' = 'open';
  app.on('before-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    studio
      .close()
      .catch((error: unknown) => log(`Closing the studio failed: ${String(error)}`))
      .finally(() => {
        state = 'closed';
        app.quit();
      });
  });
}
