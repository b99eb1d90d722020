import * as tf from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Not named `require`: bundlers inject their own shim under that name into ESM chunks.
const requireFromHere = createRequire(import.meta.url);

/** Folder of @tensorflow/tfjs-backend-wasm; FER_TFJS_WASM_DIR overrides it for bundled builds. */
export function wasmPackageDir(): string {
  const override = process.env['FER_TFJS_WASM_DIR'];
  if (override) return override;
  return path.dirname(requireFromHere.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
}

// The worker's handler for the main script: tfjs hands it a Blob, which Node's importScripts
// (fs.readFileSync) cannot read. We point it at the package's own emscripten glue file instead.
const BLOB_IMPORT =
  'if(typeof e.data.urlOrBlob=="string"){importScripts(e.data.urlOrBlob)}else{var objectUrl=URL.createObjectURL(e.data.urlOrBlob);importScripts(objectUrl);URL.revokeObjectURL(objectUrl)}';

/** Writes a Node-loadable pthread worker script; returns its path. */
function writeWorkerScript(dir: string): string {
  const { wasmWorkerContents } = requireFromHere(
    path.join(dir, 'wasm-out/tfjs-backend-wasm-threaded-simd.worker.js'),
  ) as {
    wasmWorkerContents: string;
  };
  if (!wasmWorkerContents.includes(BLOB_IMPORT))
    throw new Error('unexpected tfjs wasm worker script (version change?)');
  const glue = path.join(dir, 'wasm-out/tfjs-backend-wasm-threaded-simd.js');
  // The exported string holds raw newlines inside JS string literals; tfjs escapes them too.
  const code = wasmWorkerContents
    .replace(/\n/g, '\\n')
    .replace(BLOB_IMPORT, `importScripts(${JSON.stringify(glue)});`);
  // One file per initialisation, not per process: training, evaluation, predict and import
  // workers share the process id, and one removing "its" file under another's starting pthreads
  // crashed the second ("Cannot find module …worker.cjs").
  const file = path.join(
    os.tmpdir(),
    `fer-studio-tfjs-wasm-${wasm.version_wasm}-${process.pid}-${randomUUID()}.worker.cjs`,
  );
  fs.writeFileSync(file, code);
  return file;
}

interface EmscriptenWorker {
  unref?: () => void;
}
interface PThreadRegistry {
  unusedWorkers: EmscriptenWorker[];
  runningWorkers: EmscriptenWorker[];
}

/**
 * Initialises tfjs' wasm backend. With threads > 1 it loads the threaded-SIMD build under Node:
 * tfjs disables it on Node (tfjs#3830) because its pthread workers are Blob URLs; we substitute a
 * real worker file, and lift the C side's cap of (logical cores / 2) threads, which is 1 here.
 * Returns the thread count XNNPACK actually uses.
 */
export async function initWasmBackend(threads: number): Promise<number> {
  const dir = wasmPackageDir();
  wasm.setWasmPaths(path.join(dir, 'dist') + path.sep);
  if (threads <= 1) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialise');
    return wasm.getThreadsCount();
  }
  const workerFile = writeWorkerScript(dir);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  URL.createObjectURL = (obj: Blob) =>
    obj.type === 'application/javascript' ? workerFile : createObjectURL(obj);
  os.cpus = () => Array.from({ length: threads * 2 }, () => cpus()[0] as os.CpuInfo);
  try {
    if (!(await tf.setBackend('wasm')))
      throw new Error('tfjs threaded wasm backend failed to initialise');
  } finally {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
    // The module resolves only after its pool of 8 workers has loaded, so the file is no longer read.
    fs.rmSync(workerFile, { force: true });
  }
  // Idle pthread workers must not keep the process alive once the caller is done.
  const registry = (tf.backend() as unknown as { wasm: { PThread?: PThreadRegistry } }).wasm
    .PThread;
  for (const w of [...(registry?.unusedWorkers ?? []), ...(registry?.runningWorkers ?? [])])
    w.unref?.();
  return wasm.getThreadsCount();
}
