import { CONV_WASM_BASE64 } from './conv-wasm.ts';

// The WebAssembly JS API as used here: this project's type libraries (no DOM) do not declare it.
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
export type WasmModule = object;
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
  validate(bytes: Uint8Array): boolean;
}
export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The smallest module using f32x4.relaxed_madd: validates only where relaxed SIMD exists. */
const RELAXED_SIMD_PROBE = new Uint8Array([
  0,
  97,
  115,
  109,
  1,
  0,
  0,
  0,
  1,
  5,
  1,
  96,
  0,
  1,
  123,
  3,
  2,
  1,
  0,
  10,
  61,
  1,
  59,
  0,
  253,
  12,
  ...new Array<number>(16).fill(0),
  253,
  12,
  ...new Array<number>(16).fill(0),
  253,
  12,
  ...new Array<number>(16).fill(0),
  253,
  133,
  2,
  11,
]);

export function hasRelaxedSimd(): boolean {
  try {
    return wasmApi.validate(RELAXED_SIMD_PROBE);
  } catch {
    return false;
  }
}

/** conv.c's exports; pointers are byte offsets into the shared memory. */
export interface ConvExports {
  set_geometry(...geometry: number[]): void;
  scratch_floats(kind: number): number;
  conv_forward(
    x: number,
    w: number,
    bias: number,
    act: number,
    y: number,
    scratch: number,
    packed: number,
    from: number,
    to: number,
  ): void;
  pack_forward(w: number, scratch: number): void;
  pack_input_grad(w: number, scratch: number): void;
  conv_input_grad(
    dy: number,
    w: number,
    dx: number,
    scratch: number,
    packed: number,
    from: number,
    to: number,
  ): void;
  conv_filter_grad(
    x: number,
    dy: number,
    dw: number,
    scratch: number,
    from: number,
    to: number,
  ): void;
  /** Multiply-add throughput probe for bench:peer --peak (no memory traffic). */
  peak(iters: number, fused: number): number;
  __heap_base: { value: number };
}

const PAGE = 65536;
/** The module's declared maximum (2 GiB); an imported memory may not exceed it. */
const MAX_PAGES = 32768;

let compiled: WasmModule | null = null;

export function convModule(): WasmModule {
  compiled ??= new wasmApi.Module(Uint8Array.from(atob(CONV_WASM_BASE64), (c) => c.charCodeAt(0)));
  return compiled;
}

export function instantiate(memory: WasmMemory): ConvExports {
  const instance = new wasmApi.Instance(convModule(), { env: { memory } });
  return instance.exports as unknown as ConvExports;
}

/** A call whose tensors do not fit the kernels' 2 GiB memory: it runs on the previous kernels. */
export class FmaCapacityError extends Error {
  constructor() {
    super('FMA kernels: the tensors of this call exceed their 2 GiB memory');
  }
}

/**
 * The kernels' own shared memory (a helper thread instantiates the same module on it) and a bump
 * allocator that every kernel call resets: tensors are copied in, computed on, copied out.
 */
export class ConvHeap {
  readonly memory = new wasmApi.Memory({ initial: 64, maximum: MAX_PAGES, shared: true });
  readonly exports = instantiate(this.memory);
  private readonly base = Number(this.exports.__heap_base.value);
  private top = this.base;

  reset(): void {
    this.top = this.base;
  }

  /** Byte offset of `floats` fresh floats (16-byte aligned), growing the memory when needed. */
  alloc(floats: number): number {
    const at = (this.top + 15) & ~15;
    const end = at + floats * 4;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES) throw new FmaCapacityError();
      try {
        this.memory.grow(pages);
      } catch {
        throw new FmaCapacityError(); // the system would not give the memory
      }
    }
    this.top = end;
    return at;
  }

  /** A view of `floats` floats at byte offset `at` (valid until the next alloc). */
  view(at: number, floats: number): Float32Array {
    return new Float32Array(this.memory.buffer, at, floats);
  }

  /** Copies `src` into fresh memory; returns its byte offset. */
  copyIn(src: Float32Array): number {
    const at = this.alloc(src.length);
    this.view(at, src.length).set(src);
    return at;
  }
}
