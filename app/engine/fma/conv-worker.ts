// The helper thread of `threads.ts`: instantiates the FMA module on the shared memory, waits on the
// control block, runs its half of a convolution and signals completion.
import { workerData } from 'node:worker_threads';
import { wasmApi, type WasmMemory, type WasmModule } from './runtime.ts';
import { CTL, OPS } from './threads.ts';

const { ctl, memory, module } = workerData as {
  ctl: Int32Array;
  memory: WasmMemory;
  module: WasmModule;
};
const exports = new wasmApi.Instance(module, { env: { memory } }).exports as Record<
  string,
  (...args: number[]) => void
>;
let seen = 0;
Atomics.store(ctl, CTL.ready, 1);
Atomics.notify(ctl, CTL.ready);

for (;;) {
  Atomics.wait(ctl, CTL.seq, seen);
  seen = Atomics.load(ctl, CTL.seq);
  try {
    const op = OPS[ctl[CTL.op] as number];
    const fn = op ? exports[op] : undefined;
    if (!fn) throw new Error('unknown op');
    fn(...ctl.subarray(CTL.args, CTL.args + (ctl[CTL.argc] as number)));
    ctl[CTL.failed] = 0;
  } catch {
    ctl[CTL.failed] = 1;
  }
  Atomics.store(ctl, CTL.done, seen);
  Atomics.notify(ctl, CTL.done);
}
