// Building small ONNX models in tests with the same protobuf library the loader reads them
// with, and running them on onnxruntime-web (its wasm backend runs under Node) as the reference.

import onnxProto from "onnx-proto";
import * as ort from "onnxruntime-web";
import { type Tensor, float16, float32, int64, tensor, type DType } from "@tsnpu/tensor";

const { onnx } = onnxProto;

export type AttrValue =
  | { i: number }
  | { ints: number[] }
  | { f: number }
  | { floats: number[] }
  | { s: string }
  | { t: onnxProto.onnx.ITensorProto };

export interface NodeSpec {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs?: Readonly<Record<string, AttrValue>>;
  readonly name?: string;
  readonly domain?: string;
}

export interface ValueSpec {
  readonly name: string;
  /** Numbers are fixed dims, strings symbolic ones. */
  readonly shape: readonly (number | string)[];
  /** ONNX element type: 1 float, 7 int64, 10 float16. Default 1. */
  readonly type?: number;
}

export interface OutputSpec {
  readonly name: string;
  readonly type?: number;
}

export interface ConstSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: readonly number[];
  readonly type?: number;
}

export interface ModelSpec {
  readonly nodes: readonly NodeSpec[];
  readonly inputs: readonly ValueSpec[];
  /** A name alone declares a float32 output. */
  readonly outputs: readonly (string | OutputSpec)[];
  readonly initializers?: readonly ConstSpec[];
  readonly opset?: number;
}

const attrTypes = { f: 1, i: 2, s: 3, t: 4, floats: 6, ints: 7 } as const;

function attribute(name: string, value: AttrValue): onnxProto.onnx.IAttributeProto {
  const key = Object.keys(value)[0] as keyof typeof attrTypes;
  const v = (value as Record<string, unknown>)[key];
  return {
    name,
    type: attrTypes[key],
    [key]: key === "s" ? new TextEncoder().encode(v as string) : v,
  };
}

export function tensorProto(c: ConstSpec): onnxProto.onnx.ITensorProto {
  const type = c.type ?? 1;
  const base = { name: c.name, dims: [...c.shape], dataType: type };
  if (type === 1) return { ...base, floatData: [...c.data] };
  if (type === 7) return { ...base, int64Data: [...c.data] };
  if (type === 10)
    return {
      ...base,
      rawData: new Uint8Array(tensor(c.data as number[], { dtype: float16 }).toTypedArray().buffer),
    };
  return { ...base, int32Data: [...c.data] };
}

function valueInfo(v: ValueSpec | OutputSpec | string): onnxProto.onnx.IValueInfoProto {
  if (typeof v === "string") return { name: v, type: { tensorType: { elemType: 1 } } };
  if (!("shape" in v)) return { name: v.name, type: { tensorType: { elemType: v.type ?? 1 } } };
  const dim = v.shape.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d }));
  return { name: v.name, type: { tensorType: { elemType: v.type ?? 1, shape: { dim } } } };
}

export function buildModel(spec: ModelSpec): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: "tsnpu-onnx-tests",
    opsetImport: [{ domain: "", version: spec.opset ?? 17 }],
    graph: {
      name: "test",
      node: spec.nodes.map((n, k) => ({
        name: n.name ?? `${n.op.toLowerCase()}_${k}`,
        opType: n.op,
        domain: n.domain ?? "",
        input: [...n.inputs],
        output: [...n.outputs],
        attribute: Object.entries(n.attrs ?? {}).map(([name, value]) => attribute(name, value)),
      })),
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
      initializer: (spec.initializers ?? []).map(tensorProto),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Deterministic values in [-2, 2) (a small LCG), so failures reproduce. */
export function seeded(count: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 4 - 2;
  });
}

const dtypeByType: Record<number, DType> = { 1: float32, 7: int64, 10: float16 };

export function inputTensor(v: ValueSpec, data: Float32Array): Tensor {
  const dtype = dtypeByType[v.type ?? 1]!;
  return tensor(data)
    .reshape(v.shape as number[])
    .to(dtype);
}

let ortReady = false;

/** onnxruntime-web's outputs (as float64 arrays) for the model and float32 input data. */
export async function runOrt(
  bytes: Uint8Array,
  feeds: Record<string, { data: Float32Array; shape: readonly number[]; type?: number }>,
  outputs: readonly string[],
): Promise<{ data: Float64Array; shape: number[] }[]> {
  if (!ortReady) {
    ort.env.wasm.numThreads = 1;
    ort.env.logLevel = "error";
    ortReady = true;
  }
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
  const ortFeeds: Record<string, ort.Tensor> = {};
  for (const [name, f] of Object.entries(feeds)) {
    ortFeeds[name] =
      f.type === 10
        ? new ort.Tensor("float16", tensor(f.data).to(float16).toTypedArray() as Uint16Array, [
            ...f.shape,
          ])
        : new ort.Tensor("float32", f.data, [...f.shape]);
  }
  const result = await session.run(ortFeeds);
  await session.release();
  return outputs.map((name) => {
    const t = result[name]!;
    const data =
      t.type === "float16"
        ? (tensor(t.data as Uint16Array, { dtype: float16 })
            .to(float32)
            .toTypedArray() as Float32Array)
        : (t.data as ArrayLike<number | bigint>);
    return { data: Float64Array.from(data as ArrayLike<number>, Number), shape: [...t.dims] };
  });
}

/** Max |got - want| (NaN where both are NaN counts as 0) and max |want| (NaN aside) over two arrays of equal length. */
export function maxErrors(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
): { maxAbsError: number; maxAbsRef: number } {
  let maxAbsError = 0;
  let maxAbsRef = 0;
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    const e = Number.isNaN(w) && Number.isNaN(g) ? 0 : Math.abs(g - w);
    maxAbsError = Math.max(maxAbsError, Number.isNaN(e) ? Infinity : e);
    if (!Number.isNaN(w)) maxAbsRef = Math.max(maxAbsRef, Math.abs(w));
  }
  return { maxAbsError, maxAbsRef };
}

/** A tsnpu tensor's values as float64, on the host. */
export function values(t: Tensor): Float64Array {
  const host = t.dtype === float16 ? t.to(float32) : t;
  return Float64Array.from(host.toTypedArray() as ArrayLike<number>, Number);
}
