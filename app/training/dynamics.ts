/**
 * Training dynamics: what the model predicted for each training image, epoch after epoch, while
 * it trained on it (augmented, training mode). A label the network keeps disagreeing with while
 * it learns the rest of its class is doubtful; the running mean over a whole run is a ranking of
 * every training image ready the moment the run ends, without k-fold models (issue 22).
 */

/** Plain JSON, stored in the checkpoint's state so a resumed run keeps what it recorded. */
export interface EncodedDynamics {
  outputs: number;
  /** First epoch that counts (earlier epochs reflect the initial weights more than the data). */
  fromEpoch: number;
  /** Float32 sums of the probabilities, images × outputs, base64. */
  sums: string;
  /** Uint16 epochs recorded per image, base64. */
  counts: string;
}

export interface DynamicsMeans {
  /** images × outputs mean probabilities; NaN rows for images never trained on (validation). */
  probs: Float32Array;
  /** Epochs each image's mean is over; 0 = none. */
  epochs: Uint16Array;
}

/** Epoch 1 is mostly the warm-up from random weights; from 2 on the record measures the data. */
export const DYNAMICS_FROM_EPOCH = 2;

/**
 * The first epoch a run of `epochs` records: its first quarter is skipped (at least epoch 1).
 * Measured on FER-2013 (12 epochs, crowd votes of the voted train half, docs/experiments.md):
 * averaging epochs 4–12 put 84 % truly wrong labels in the top 100 against 76 % for 2–12, and
 * equal shares further down; later starts (7, 10) were no better.
 */
export function dynamicsFromEpoch(epochs: number): number {
  return Math.max(DYNAMICS_FROM_EPOCH, Math.floor(epochs / 4) + 1);
}

export function createDynamics(
  images: number,
  outputs: number,
  from: EncodedDynamics | null = null,
  fromEpoch = DYNAMICS_FROM_EPOCH,
) {
  const sums = new Float32Array(images * outputs);
  const counts = new Uint16Array(images);
  let start = fromEpoch;
  if (from && from.outputs === outputs) {
    const s = decode(from.sums, Float32Array);
    const c = decode(from.counts, Uint16Array);
    // A resume over other data (another split) cannot continue the record: start it anew.
    if (s.length === sums.length && c.length === counts.length) {
      sums.set(s);
      counts.set(c);
      start = from.fromEpoch;
    }
  }
  return {
    /** One batch: `indices` into the training data, `probs` indices.length × outputs. */
    add(epoch: number, indices: ArrayLike<number>, probs: Float32Array): void {
      if (epoch < start) return;
      for (let k = 0; k < indices.length; k++) {
        const i = indices[k] ?? 0;
        for (let c = 0; c < outputs; c++)
          sums[i * outputs + c] = (sums[i * outputs + c] ?? 0) + (probs[k * outputs + c] ?? 0);
        counts[i] = (counts[i] ?? 0) + 1;
      }
    },
    encode(): EncodedDynamics {
      return { outputs, fromEpoch: start, sums: encode(sums), counts: encode(counts) };
    },
    means(): DynamicsMeans {
      const probs = new Float32Array(sums.length);
      for (let i = 0; i < images; i++) {
        const n = counts[i] ?? 0;
        for (let c = 0; c < outputs; c++)
          probs[i * outputs + c] = n > 0 ? (sums[i * outputs + c] ?? 0) / n : NaN;
      }
      return { probs, epochs: counts.slice() };
    },
  };
}

export type Dynamics = ReturnType<typeof createDynamics>;

function encode(array: Float32Array | Uint16Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function decode<T extends Float32Array | Uint16Array>(
  text: string,
  Kind: { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number },
): T {
  const bytes = Buffer.from(text, 'base64');
  const copy = new ArrayBuffer(bytes.length - (bytes.length % Kind.BYTES_PER_ELEMENT));
  new Uint8Array(copy).set(bytes.subarray(0, copy.byteLength));
  return new Kind(copy);
}
