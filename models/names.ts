/** The CPU-first default; kept free of tfjs so the contract (and the sandboxed preload) can name it. */
export const DEFAULT_MODEL = 'compact-cnn';
