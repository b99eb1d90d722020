import { Worker } from 'node:worker_threads';
import type { ConvExports, ConvHeap, WasmMemory } from './runtime.ts';
import { convModule } from './runtime.ts';

/**
 * Splits one FMA convolution over this thread and one helper worker that runs the same module on
 * the same shared memory. Synchronous, like the kernels: the helper is woken through Atomics and
 * this thread blocks in Atomics.wait until the helper's half is done (heap-threads.ts' pattern).
 * Control block (Int32): [seq, done, failed, ready, op, argc, ...args].
 */
export const CTL = { seq: 0, done: 1, failed: 2, ready: 3, op: 4, argc: 5, args: 6 } as const;
export const MAX_ARGS = 16;
export const OPS = ['conv_forward', 'conv_input_grad', 'conv_filter_grad'] as const;
export type ConvOp = (typeof OPS)[number];

/** Below this many multiply-adds a convolution runs inline: waking the helper costs ~20–50 µs. */
const MIN_PARALLEL_MACS = 4_000_000;
const HELPER_TIMEOUT_MS = 60_000;
const STARTUP_TIMEOUT_MS = 10_000;

let threads = 1;
let helper: { worker: Worker; ctl: Int32Array; seq: number } | null = null;
let broken: string | null = null;
/** Convolutions split over both threads since start-up (tests check the split happens). */
let splits = 0;

export function fmaSplits(): number {
  return splits;
}

/** How many threads the kernels use (1 or 2); the engine passes its wasm thread count. */
export function setFmaThreads(count: number): void {
  threads = Math.max(1, Math.min(2, Math.floor(count)));
}

export function fmaThreads(): number {
  return broken ? 1 : threads;
}

function startHelper(memory: WasmMemory): typeof helper {
  const ctl = new Int32Array(new SharedArrayBuffer(4 * (CTL.args + MAX_ARGS)));
  const worker = new Worker(new URL('./conv-worker.ts', import.meta.url), {
    workerData: { ctl, memory, module: convModule() },
  });
  worker.unref();
  Atomics.wait(ctl, CTL.ready, 0, STARTUP_TIMEOUT_MS);
  if (Atomics.load(ctl, CTL.ready) !== 1) {
    void worker.terminate();
    broken = 'the FMA helper thread did not start';
    return null;
  }
  return { worker, ctl, seq: 0 };
}

function call(ex: ConvExports, op: ConvOp, args: number[]): void {
  (ex[op] as (...a: number[]) => void)(...args);
}

/**
 * Runs `op(...fixed, ...own[t], from, to)` over rows [0, total), split at a multiple of `align`;
 * `own` holds each thread's private arguments (work buffers, partial sums), helper second.
 */
export function runSplit(
  h: ConvHeap,
  op: ConvOp,
  fixed: number[],
  own: [number[], number[]?],
  total: number,
  align: number,
  macs: number,
): boolean {
  const units = total / align;
  if (fmaThreads() < 2 || !own[1] || units < 2 || macs < MIN_PARALLEL_MACS) {
    call(h.exports, op, [...fixed, ...own[0], 0, total]);
    return false;
  }
  helper ??= startHelper(h.memory);
  if (!helper) return runSplit(h, op, fixed, own, total, align, macs);
  const mid = Math.floor(units / 2) * align;
  const args = [...fixed, ...own[1], mid, total];
  const { ctl } = helper;
  ctl[CTL.op] = OPS.indexOf(op);
  ctl[CTL.argc] = args.length;
  ctl.set(args, CTL.args);
  const seq = ++helper.seq;
  Atomics.store(ctl, CTL.seq, seq);
  Atomics.notify(ctl, CTL.seq);
  call(h.exports, op, [...fixed, ...own[0], 0, mid]);
  const started = performance.now();
  while (Atomics.load(ctl, CTL.done) !== seq) {
    const left = HELPER_TIMEOUT_MS - (performance.now() - started);
    if (left <= 0) break;
    Atomics.wait(ctl, CTL.done, seq - 1, left);
  }
  if (Atomics.load(ctl, CTL.done) !== seq || ctl[CTL.failed]) {
    // Never trust a failed helper again: redo its half here and run single-threaded from now on.
    broken = 'the FMA helper thread failed';
    void helper.worker.terminate();
    helper = null;
    call(h.exports, op, args);
  }
  splits += 1;
  return true;
}
