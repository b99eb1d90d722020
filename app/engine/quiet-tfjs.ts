import * as tf from '@tensorflow/tfjs';

/**
 * tfjs' CPU backend greets Node users with an "install tfjs-node" banner on its first tensor; the
 * studio names its backend itself (BackendInfo), so the banner only clutters CLI and test output.
 */
export function silenceTfjsNodeBanner(): void {
  const cpu = tf.engine().findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu) cpu.firstUse = false;
}
