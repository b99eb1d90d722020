import onnxProto from 'onnx-proto';
import type { onnx as Onnx } from 'onnx-proto';

// onnx-proto is CommonJS; Node's ESM loader only exposes its exports object as the default.
export const { onnx } = onnxProto;

type Attr = number | number[] | string;

/** Accumulates nodes and initializers with unique tensor names. */
export class GraphBuilder {
  readonly nodes: Onnx.INodeProto[] = [];
  readonly initializers: Onnx.ITensorProto[] = [];
  private readonly used = new Set<string>();

  unique(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  constant(base: string, dims: number[], values: Float32Array): string {
    const name = this.unique(base);
    const copy = new Float32Array(values);
    this.initializers.push({
      name,
      dims,
      dataType: onnx.TensorProto.DataType.FLOAT,
      rawData: new Uint8Array(copy.buffer),
    });
    return name;
  }

  /** Adds one node and returns the name of its (single) output. */
  node(
    opType: string,
    inputs: string[],
    base: string,
    attrs: Record<string, Attr> = {},
    output?: string,
  ): string {
    const out = output ?? this.unique(base);
    if (output) this.used.add(output);
    this.nodes.push({
      opType,
      name: this.unique(`${base}/${opType}`),
      input: inputs,
      output: [out],
      attribute: Object.entries(attrs).map(([name, value]) => attribute(name, value)),
    });
    return out;
  }
}

function attribute(name: string, value: Attr): Onnx.IAttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  if (typeof value === 'string')
    return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if (Number.isInteger(value) && name !== 'epsilon' && name !== 'momentum')
    return { name, type: AttributeType.INT, i: value };
  return { name, type: AttributeType.FLOAT, f: value };
}

/** A float32 tensor type whose first dimension is the symbolic batch size N. */
export function valueInfo(name: string, shape: number[]): Onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: [{ dimParam: 'N' }, ...shape.map((dimValue) => ({ dimValue }))] },
      },
    },
  };
}
