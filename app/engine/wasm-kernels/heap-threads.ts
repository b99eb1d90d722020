import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { runLoop, type LoopOp, type LoopParams } from './heap-loops.ts';

/**
 * Runs a heap loop on two threads: this one and one helper worker that shares the wasm heap. The
 * threaded wasm build's heap is a SharedArrayBuffer, and XNNPACK's own threads sit idle while a JS
 * kernel runs, so the JS kernels (batch-norm passes, max-pool gradient: ~30 % of a training step)
 * otherwise use one of the two cores. The call is synchronous, like the kernels that use it: the
 * helper is woken through Atomics on a small shared control block, and this thread blocks in
 * Atomics.wait until the helper's half is done. Node's worker_threads rather than a library: the
 * whole protocol is one shared Int32Array and the pattern is synckit's, without its async API.
 *
 * Control block: Int32 [seq, done, op, failed, partialLength, ready], Float64 [from, to, ...params] at
 * byte 32, Float64 partial sums at byte 32 + 8·PARAMS.
 */
export const CTL = { seq: 0, done: 1, op: 2, failed: 3, partialLength: 4, ready: 5 } as const;
export const STOP_OP = -1;
export const PARAMS = 32;
export const MAX_PARTIAL = 2 * 8192;
export const CONTROL_BYTES = 32 + 8 * PARAMS + 8 * MAX_PARTIAL;

/** Below this many floats a loop runs inline: waking the helper costs ~20–50 µs. */
const MIN_PARALLEL_FLOATS = 1 << 16;
/** A helper that does not answer within this time is treated as dead. */
const HELPER_TIMEOUT_MS = 60_000;
/** A helper that has not started within this time (its script failed to load) is never used. */
const STARTUP_TIMEOUT_MS = 10_000;

export interface HeapThreadStats {
  /** Loops split across both threads since start-up. */
  parallel: number;
  /** Loops run on the calling thread alone (small, or no shared heap). */
  inline: number;
  /** Heap buffers handed to the helper: one at start, one more after each growth of the heap. */
  heaps: number;
}

const stats: HeapThreadStats = { parallel: 0, inline: 0, heaps: 0 };

class HeapHelper {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly ctl: Int32Array;
  private readonly params: Float64Array;
  private readonly partial: Float64Array;
  private seq = 0;
  private sentHeap: SharedArrayBuffer | null = null;

  constructor() {
    const control = new SharedArrayBuffer(CONTROL_BYTES);
    this.ctl = new Int32Array(control, 0, 8);
    this.params = new Float64Array(control, 32, PARAMS);
    this.partial = new Float64Array(control, 32 + 8 * PARAMS, MAX_PARTIAL);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(new URL('./heap-worker.ts', import.meta.url), {
      workerData: { control, port: port2 },
      transferList: [port2],
    });
    // Idle helpers must not keep a process alive; the helper exits with its parent thread.
    this.worker.unref();
    this.port.unref();
  }

  /** Whether the helper thread is up, waiting for it at most STARTUP_TIMEOUT_MS the first time. */
  started(): boolean {
    if (Atomics.load(this.ctl, CTL.ready) === 0)
      Atomics.wait(this.ctl, CTL.ready, 0, STARTUP_TIMEOUT_MS);
    return Atomics.load(this.ctl, CTL.ready) === 1;
  }

  /** Runs [from, to) on the helper while the caller runs its own range; returns the helper's partial sums. */
  begin(
    heap: SharedArrayBuffer,
    op: LoopOp,
    p: readonly number[],
    from: number,
    to: number,
    partialLength: number,
  ) {
    if (heap !== this.sentHeap) {
      // The heap grew (a new SharedArrayBuffer object): hand the helper the new one before waking it.
      this.port.postMessage(heap);
      this.sentHeap = heap;
      stats.heaps += 1;
    }
    this.params[0] = from;
    this.params[1] = to;
    this.params.set(p, 2);
    this.ctl[CTL.op] = op;
    this.ctl[CTL.partialLength] = partialLength;
    this.seq += 1;
    Atomics.store(this.ctl, CTL.seq, this.seq);
    Atomics.notify(this.ctl, CTL.seq);
  }

  finish(partialLength: number): Float64Array {
    const started = performance.now();
    while (Atomics.load(this.ctl, CTL.done) !== this.seq) {
      const left = HELPER_TIMEOUT_MS - (performance.now() - started);
      if (left <= 0) throw new Error('the heap helper thread did not answer within 60 s');
      Atomics.wait(this.ctl, CTL.done, this.seq - 1, left);
    }
    if (this.ctl[CTL.failed]) throw new Error('the heap helper thread failed a kernel loop');
    return this.partial.subarray(0, partialLength);
  }

  stop(): void {
    this.ctl[CTL.op] = STOP_OP;
    Atomics.store(this.ctl, CTL.seq, ++this.seq);
    Atomics.notify(this.ctl, CTL.seq);
    this.port.close();
  }
}

let helper: HeapHelper | null = null;
let broken: Error | null = null;

/** Whether heap loops may use a helper thread: FER_HEAP_THREADS=1 turns it off. */
function helperWanted(): boolean {
  return process.env['FER_HEAP_THREADS'] !== '1';
}

/**
 * Runs `op` over items [0, items) of `heap` (a Float32Array over the whole wasm heap); returns the
 * summed partials (length `partialLength`, zeros when the loop has none). `floatsPerItem` sizes the work.
 */
export function runHeapLoop<O extends LoopOp>(
  heap: Float32Array,
  op: O,
  params: LoopParams[O],
  items: number,
  floatsPerItem: number,
  partialLength = 0,
): Float64Array {
  const partial = new Float64Array(partialLength);
  const shared = heap.buffer instanceof SharedArrayBuffer ? heap.buffer : null;
  if (
    !shared ||
    broken ||
    !helperWanted() ||
    items < 2 ||
    items * floatsPerItem < MIN_PARALLEL_FLOATS
  ) {
    stats.inline += 1;
    runLoop(heap, op, params, 0, items, partial);
    return partial;
  }
  if (partialLength > MAX_PARTIAL) throw new Error(`heap loop partials exceed ${MAX_PARTIAL}`);
  helper ??= new HeapHelper();
  if (!helper.started()) {
    broken = new Error('the heap helper thread did not start');
    helper.stop();
    helper = null;
    return runHeapLoop(heap, op, params, items, floatsPerItem, partialLength);
  }
  const mid = Math.floor(items / 2);
  helper.begin(shared, op, params, mid, items, partialLength);
  let ownError: unknown = null;
  try {
    runLoop(heap, op, params, 0, mid, partial);
  } catch (error) {
    ownError = error;
  }
  try {
    const theirs = helper.finish(partialLength);
    for (let i = 0; i < partialLength; i++)
      partial[i] = (partial[i] as number) + (theirs[i] as number);
    stats.parallel += 1;
  } catch (error) {
    // Never use a failed helper again: redo its half here, and run single-threaded from now on.
    broken = error as Error;
    helper.stop();
    helper = null;
    runLoop(heap, op, params, mid, items, partial);
    stats.inline += 1;
  }
  if (ownError) throw ownError;
  return partial;
}

export function heapThreadStats(): HeapThreadStats {
  return { ...stats, ...(broken ? { broken: broken.message } : {}) };
}

/** Stops the helper thread (tests; processes exit without it since the worker is unref'd). */
export function stopHeapThreads(): void {
  helper?.stop();
  helper = null;
}
