import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { decodeImage, DecodeProblem } from './decode.ts';
import type { FileResult } from './decode-pool.ts';

/** A plain copy: Node marks Buffer memory untransferable, and a copy of ~2 KB costs less than cloning. */
function owned(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

/** Reads, hashes and decodes one file; every failure becomes a reason, never an exception. */
export async function decodeFile(path: Uint8Array): Promise<FileResult> {
  let original: Uint8Array;
  try {
    // Synchronous on purpose: a decode thread does nothing else, and async reads cost more per small file.
    original = owned(fs.readFileSync(Buffer.from(path.buffer, path.byteOffset, path.byteLength)));
  } catch (error) {
    return { ok: false, reason: 'unreadable', detail: (error as Error).message };
  }
  try {
    const decoded = await decodeImage(original);
    const hash = createHash('sha256').update(original).digest('hex');
    return { ok: true, hash, original, ...decoded, pixels: owned(decoded.pixels) };
  } catch (error) {
    if (error instanceof DecodeProblem)
      return { ok: false, reason: error.reason, detail: error.message };
    return { ok: false, reason: 'corrupt-image', detail: (error as Error).message };
  }
}
