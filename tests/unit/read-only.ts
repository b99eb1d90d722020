import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const isRoot = process.getuid?.() === 0;

/**
 * Makes `dir` unwritable for this process and returns the undo: chmod 555 for a normal user;
 * as root, which ignores modes (CI runs as root), chattr +i. Null when neither works here.
 */
export function makeReadOnly(dir: string): (() => void) | null {
  if (!isRoot) {
    fs.chmodSync(dir, 0o555);
    return () => fs.chmodSync(dir, 0o755);
  }
  if (spawnSync('chattr', ['+i', dir]).status !== 0) return null;
  return () => {
    spawnSync('chattr', ['-i', dir]);
  };
}

/** Whether makeReadOnly works on this machine (chattr needs CAP_LINUX_IMMUTABLE as root). */
export function canMakeReadOnly(): boolean {
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-read-only-'));
  const undo = makeReadOnly(probe);
  let refused = false;
  try {
    fs.accessSync(probe, fs.constants.W_OK);
  } catch {
    refused = true;
  }
  undo?.();
  fs.rmSync(probe, { recursive: true, force: true });
  return undo !== null && refused;
}
