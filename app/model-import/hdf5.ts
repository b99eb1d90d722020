import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm, { type Dataset, type Group } from 'h5wasm/node';
import { StudioError } from '../contract/errors.ts';

/** One weight array as stored (Keras shapes equal tfjs shapes for every supported layer). */
export interface StoredWeight {
  name: string;
  shape: number[];
  data: Float32Array;
}

export const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

export function isHdf5(bytes: Uint8Array): boolean {
  return HDF5_SIGNATURE.every((b, i) => bytes[i] === b);
}

function readUint(bytes: Uint8Array, at: number, size: number): number {
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + (bytes[at + i] ?? 0);
  return v;
}

/**
 * The end-of-file address the HDF5 superblock records (versions 0–3), or null if unknown. A file
 * shorter than it was cut off; checking first avoids the HDF5 library's own error dump.
 */
export function hdf5EndOfFile(bytes: Uint8Array): number | null {
  const version = bytes[8];
  if (version === 0 || version === 1) {
    const offsets = bytes[13] ?? 8;
    const base = 24 + (version === 1 ? 4 : 0);
    return readUint(bytes, base + 2 * offsets, offsets);
  }
  if (version === 2 || version === 3) {
    const offsets = bytes[9] ?? 8;
    return readUint(bytes, 12 + 2 * offsets, offsets);
  }
  return null;
}

export function checkHdf5(bytes: Uint8Array, what: string): void {
  const eof = hdf5EndOfFile(bytes);
  if (bytes.length < 48 || (eof !== null && bytes.length < eof))
    throw new StudioError(
      'bad-request',
      `${what} is truncated: it has ${bytes.length} bytes, its HDF5 header says ${eof ?? 'more'}. Copy the file again.`,
    );
}

export type H5File = InstanceType<typeof h5wasm.File>;

/** Opens HDF5 bytes read-only (h5wasm's Node build reads real files, so via a temp file). */
export async function withHdf5<T>(
  bytes: Uint8Array,
  what: string,
  use: (file: H5File) => T | Promise<T>,
): Promise<T> {
  checkHdf5(bytes, what);
  await h5wasm.ready;
  const dir = await mkdtemp(join(tmpdir(), 'fer-import-'));
  const path = join(dir, 'model.h5');
  try {
    await writeFile(path, bytes);
    let file: H5File;
    try {
      file = new h5wasm.File(path, 'r');
    } catch {
      throw new StudioError(
        'bad-request',
        `${what} is not a readable HDF5 file (damaged or truncated).`,
      );
    }
    try {
      return await use(file);
    } finally {
      file.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function attr(node: Group | Dataset, name: string): unknown {
  if (!Object.prototype.hasOwnProperty.call(node.attrs, name)) return undefined;
  return node.get_attribute(name, true);
}

/** Attribute holding a list of names (h5py writes fixed-length byte strings, h5wasm decodes them). */
export function nameList(node: Group, name: string): string[] {
  const value = attr(node, name);
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

export function readDataset(node: unknown, name: string, what: string): StoredWeight {
  const ds = node as Dataset | null;
  if (!ds || ds.type !== 'Dataset')
    throw new StudioError('bad-request', `${what}: weight ${name} is missing.`);
  const value = ds.value;
  if (!(value instanceof Float32Array || value instanceof Float64Array))
    throw new StudioError('bad-request', `${what}: weight ${name} is not a float array.`);
  return { name, shape: ds.shape ?? [], data: Float32Array.from(value) };
}

export function childGroup(group: Group, name: string): Group | null {
  if (!group.keys().includes(name)) return null;
  const child = group.get(name);
  return child && (child as Group).type === 'Group' ? (child as Group) : null;
}
