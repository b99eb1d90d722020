import { readFileSync } from 'node:fs';

/** A NumPy .npy (v1/v2, little-endian float32, C order) file: its shape and values. */
export function readNpy(path: string): { shape: number[]; data: Float32Array } {
  const bytes = readFileSync(path);
  if (bytes.subarray(1, 6).toString('latin1') !== 'NUMPY') throw new Error(`${path} is not .npy`);
  const major = bytes[6] ?? 1;
  const headerLen = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.subarray(start, start + headerLen).toString('latin1');
  if (!header.includes("'descr': '<f4'") || header.includes("'fortran_order': True"))
    throw new Error(`${path}: only little-endian float32 in C order is read (${header})`);
  const shapeText = /'shape': \(([^)]*)\)/.exec(header)?.[1] ?? '';
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const offset = start + headerLen;
  const data = new Float32Array(
    bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + bytes.length),
  );
  return { shape, data };
}
