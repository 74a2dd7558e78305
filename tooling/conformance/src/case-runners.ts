// Running one golden quant_conv2d case on a device, without a test runner: the suite's checks
// (suite.ts) and the tsnpu CLI's `verify` build the module and call the functional op this way.
import {
  type DType,
  type Tensor,
  dtypes,
  float16,
  float32,
  int32,
  int64,
  int8,
  npuQuantConv2d,
  npuQuantize,
  tensor,
} from "@tsnpu/tensor";
import { QuantConv2d } from "@tsnpu/nn";
import type { NpuQuantizeCase, QuantConv2dCase, RawArray } from "./vectors.js";

export const fromTyped = (
  data: Int8Array | Int32Array | Float32Array | BigInt64Array,
  shape: readonly number[],
  dtype: DType,
  device: string,
) => tensor(data, { dtype }).reshape(shape).to(device);

export function buildModule(
  c: QuantConv2dCase,
  scaleAs: "int64" | "float32",
  device: string,
): QuantConv2d {
  const [cout, cin, kh, kw] = c.weight.shape as [number, number, number, number];
  const m = new QuantConv2d(cin, cout, [kh, kw], float16, {
    stride: c.stride,
    padding: c.padding,
    dilation: c.dilation,
    groups: c.groups,
    offsetX: c.offsetX,
    bias: c.bias !== null,
    offset: scaleAs === "float32" && c.offsetFloat32 !== null,
  }).to(device);
  m.weight.data = fromTyped(c.weight.data, c.weight.shape, int8, device);
  m.scale.data =
    scaleAs === "int64"
      ? fromTyped(c.scale, [cout], int64, device)
      : fromTyped(c.scaleFloat32, [cout], float32, device);
  if (m.bias && c.bias) m.bias.data = fromTyped(c.bias, [cout], int32, device);
  if (m.offset && c.offsetFloat32)
    m.offset.data = fromTyped(c.offsetFloat32, [cout], float32, device);
  return m;
}

export function runFunctional(c: QuantConv2dCase, device: string): Tensor {
  return npuQuantConv2d(
    fromTyped(c.input.data, c.input.shape, int8, device),
    fromTyped(c.weight.data, c.weight.shape, int8, device),
    fromTyped(c.scale, [c.scale.length], int64, device),
    {
      strides: c.stride,
      pads: c.padding,
      dilations: c.dilation,
      groups: c.groups,
      offsetX: c.offsetX,
      outputDtype: float16,
      bias: c.bias ? fromTyped(c.bias, [c.bias.length], int32, device) : null,
    },
  );
}

const RAW_ARRAYS = {
  float32: Float32Array,
  float16: Uint16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int32: Int32Array,
} as const;

/** A golden vector's raw array (little-endian bytes) as a tensor on `device`. */
export function fromRaw(a: RawArray, device: string): Tensor {
  const data = new RAW_ARRAYS[a.dtype](
    a.bytes.buffer as ArrayBuffer,
    a.bytes.byteOffset,
    a.bytes.byteLength / dtypes[a.dtype].itemSize,
  );
  return tensor(data, { dtype: dtypes[a.dtype] }).reshape(a.shape).to(device);
}

/** A golden npu_quantize case on `device`: its input, and the call with its scales, zero points and attributes. */
export function npuQuantizeCaseCall(
  c: NpuQuantizeCase,
  device: string,
): { readonly input: Tensor; readonly run: (x: Tensor) => Tensor } {
  const scales = fromRaw(c.scales, device);
  const zeroPoints = c.zeroPoints ? fromRaw(c.zeroPoints, device) : null;
  return {
    input: fromRaw(c.input, device),
    run: (x) =>
      npuQuantize(x, scales, zeroPoints, dtypes[c.dtype], { axis: c.axis, divMode: c.divMode }),
  };
}
