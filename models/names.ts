/**
 * The CPU-first default (compact-cnn at 1.5× width; README "Model experiments"); kept free of
 * tfjs so the contract (and the sandboxed preload) can name it.
 */
export const DEFAULT_MODEL = 'compact-cnn-w24';

/** xception-fer at another width (1–9) and depth: `xception-fer-w3`, `xception-fer-w2d3`. */
export const XCEPTION_VARIANT = /^xception-fer-w([1-9])(?:d([1-9]))?$/;

/** compact-cnn with another first-block width (8–64 channels; 16 is the default): `compact-cnn-w24`. */
export const COMPACT_VARIANT = /^compact-cnn-w([1-9][0-9])$/;

/** True for a model named by a variant pattern rather than a registry key. */
export function isModelVariant(name: string): boolean {
  const compact = COMPACT_VARIANT.exec(name);
  if (compact) return Number(compact[1]) >= 8 && Number(compact[1]) <= 64;
  return XCEPTION_VARIANT.test(name);
}
