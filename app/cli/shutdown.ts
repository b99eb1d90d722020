/**
 * Runs `close` and then `exit(0)`; if it has not finished within `deadlineMs` (a worker, socket or
 * timer that never lets go), exits anyway with 1 and says so: a stopped server must really stop.
 */
export async function shutdownWithin(
  close: () => Promise<void>,
  deadlineMs: number,
  exit: (code: number) => void,
  log: (message: string) => void = console.error,
): Promise<void> {
  const timer = setTimeout(() => {
    log(`Shutdown took over ${deadlineMs / 1000} s; stopping anyway.`);
    exit(1);
  }, deadlineMs);
  try {
    await close();
    clearTimeout(timer);
    exit(0);
  } catch (error) {
    clearTimeout(timer);
    log(`Shutdown failed: ${(error as Error).message}`);
    exit(1);
  }
}
