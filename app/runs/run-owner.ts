import fs from 'node:fs';
import path from 'node:path';
import type { RunStore } from './run-store.ts';

/**
 * Which process trains a run: its pid in `<runDir>/.owner` while it trains. Two studio processes
 * may open one project (SQLite's WAL lets them); this keeps the second from taking the first's
 * live run for a crashed one.
 */
export const OWNER_FILE = '.owner';

export function claimRun(runDir: string): void {
  fs.writeFileSync(path.join(runDir, OWNER_FILE), String(process.pid));
}

export function releaseRun(runDir: string): void {
  fs.rmSync(path.join(runDir, OWNER_FILE), { force: true });
}

/** True while the process that claimed the run is alive. */
export function ownerAlive(runDir: string): boolean {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(runDir, OWNER_FILE), 'utf8'));
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs left `running` by a process that is gone become resumable `stopped` runs. */
export function recoverOrphanedRuns(store: RunStore): number {
  let recovered = 0;
  for (const run of store.list()) {
    if (run.status !== 'running' || ownerAlive(store.runDir(run.id))) continue;
    store.setStatus(
      run.id,
      'stopped',
      'Interrupted (the app closed or crashed); resume continues from the last epoch checkpoint.',
    );
    recovered++;
  }
  return recovered;
}
