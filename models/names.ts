/** The CPU-first default; kept free of tfjs so the contract (and the sandboxed preload) can name it. */
export const DEFAULT_MODEL = 'compact-cnn';

/** xception-fer at another width (1–9) and depth: `xception-fer-w3`, `xception-fer-w2d3`. */
export const XCEPTION_VARIANT = /^xception-fer-w([1-9])(?:d([1-9]))?$/;
