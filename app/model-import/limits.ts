import { StudioError } from '../contract/errors.ts';

/** Refused above this: 800 MB of float32 weights would not fit the training worker's heap. */
export const MAX_PARAMS = 200_000_000;

/** Checked from stored shapes before any weight is read. */
export function checkParamCount(params: number): void {
  if (params > MAX_PARAMS)
    throw new StudioError(
      'bad-request',
      `The model has ${(params / 1e6).toFixed(1)} M parameters (${((params * 4) / 2 ** 20).toFixed(0)} MB of weights); the studio imports models of up to ${MAX_PARAMS / 1e6} M parameters.`,
    );
}
