// The helper thread of `heap-threads.ts`: waits on the shared control block, runs its half of a
// heap loop on the shared wasm heap, and signals completion. No event loop is needed while it waits.
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { runLoop, type LoopOp } from './heap-loops.ts';
import { CTL, MAX_PARTIAL, PARAMS, STOP_OP } from './heap-threads.ts';

const { control, port } = workerData as { control: SharedArrayBuffer; port: MessagePort };
const ctl = new Int32Array(control, 0, 8);
const params = new Float64Array(control, 32, PARAMS);
const partial = new Float64Array(control, 32 + 8 * PARAMS, MAX_PARTIAL);
let heap: Float32Array | null = null;
let seen = 0;
Atomics.store(ctl, CTL.ready, 1);
Atomics.notify(ctl, CTL.ready);

for (;;) {
  Atomics.wait(ctl, CTL.seq, seen);
  seen = Atomics.load(ctl, CTL.seq);
  const op = ctl[CTL.op] as number;
  if (op === STOP_OP) break;
  try {
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port))
      heap = new Float32Array(m.message as SharedArrayBuffer);
    if (!heap) throw new Error('no heap');
    // Lets a test check that the caller recovers from a failing helper.
    if (process.env['FER_HEAP_HELPER_FAIL_FOR_TESTS'] === '1') throw new Error('injected failure');
    const length = ctl[CTL.partialLength] as number;
    partial.fill(0, 0, length);
    runLoop(
      heap,
      op as LoopOp,
      params.subarray(2),
      params[0] as number,
      params[1] as number,
      partial.subarray(0, length),
    );
    ctl[CTL.failed] = 0;
  } catch {
    ctl[CTL.failed] = 1;
  }
  Atomics.store(ctl, CTL.done, seen);
  Atomics.notify(ctl, CTL.done);
}
port.close();
