/** A getUserMedia failure as a sentence a user can act on. */
export function cameraErrorMessage(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera found. Connect a camera, then press Start camera again.';
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera permission was denied. Allow camera access for FER Studio (browser or system settings) and try again.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The camera is in use by another application or could not be started.';
    default:
      return `The camera could not be started: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Frames per second over a sliding window of completion times. */
export function createFpsMeter(windowMs = 2000) {
  const times: number[] = [];
  return {
    tick(now: number): number {
      times.push(now);
      while (times.length > 0 && (times[0] ?? now) < now - windowMs) times.shift();
      if (times.length < 2) return 0;
      return ((times.length - 1) * 1000) / (now - (times[0] ?? now));
    },
    reset() {
      times.length = 0;
    },
  };
}
