// Loads the golden vectors kept in this package's vectors/ folder (format and origin:
// vectors/README.md). Tests read only this copy, so a clone of the repo is enough to run them.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { QuantConv2dGeometry } from "@tsnpu/tensor";

/** The folder holding the golden vectors (tooling/conformance/vectors). */
export const vectorsDir: string = fileURLToPath(new URL("../vectors/", import.meta.url));

function bytes(b64: string): Uint8Array {
  const buf = Buffer.from(b64, "base64");
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength).slice();
}
const int8 = (b64: string) => new Int8Array(bytes(b64).buffer);
const int32 = (b64: string) => new Int32Array(bytes(b64).buffer);
const uint16 = (b64: string) => new Uint16Array(bytes(b64).buffer);
const uint32 = (b64: string) => new Uint32Array(bytes(b64).buffer);
const float32 = (b64: string) => new Float32Array(bytes(b64).buffer);

export interface QuantConv2dCase {
  readonly name: string;
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;
  readonly offsetX: number;
  readonly roundMode: string;
  readonly input: { shape: number[]; data: Int8Array };
  readonly weight: { shape: number[]; data: Int8Array };
  /** The int64 scale words the op reads. */
  readonly scale: BigInt64Array;
  /** The float32 scales `scale` was made from. */
  readonly scaleFloat32: Float32Array;
  /** How the module receives its scale in this case. */
  readonly scaleGivenAs: "int64" | "float32";
  readonly offsetFloat32: Float32Array | null;
  readonly bias: Int32Array | null;
  readonly expected: { shape: number[]; bits: Uint16Array };
}

interface RawQuantCase {
  name: string;
  params: {
    stride: [number, number];
    padding: [number, number];
    dilation: [number, number];
    groups: number;
    offset_x: number;
    round_mode: string;
  };
  input: { shape: number[]; data_b64: string };
  weight: { shape: number[]; data_b64: string };
  scale: { data: string[] };
  scale_float32: { data_b64: string };
  scale_given_as: "int64" | "float32";
  offset_float32: { data_b64: string } | null;
  bias: { data_b64: string } | null;
  expected: { shape: number[]; bits_b64: string };
}

const readJson = <T>(...parts: string[]): T =>
  JSON.parse(readFileSync(join(vectorsDir, ...parts), "utf8")) as T;

export function quantConv2dCases(): QuantConv2dCase[] {
  const files = readdirSync(join(vectorsDir, "quant_conv2d"))
    .filter((f) => f.endsWith(".json"))
    .sort();
  return files.map((file) => {
    const raw = readJson<RawQuantCase>("quant_conv2d", file);
    return {
      name: raw.name,
      stride: raw.params.stride,
      padding: raw.params.padding,
      dilation: raw.params.dilation,
      groups: raw.params.groups,
      offsetX: raw.params.offset_x,
      roundMode: raw.params.round_mode,
      input: { shape: raw.input.shape, data: int8(raw.input.data_b64) },
      weight: { shape: raw.weight.shape, data: int8(raw.weight.data_b64) },
      scale: BigInt64Array.from(raw.scale.data.map((s) => BigInt(s))),
      scaleFloat32: float32(raw.scale_float32.data_b64),
      scaleGivenAs: raw.scale_given_as,
      offsetFloat32: raw.offset_float32 ? float32(raw.offset_float32.data_b64) : null,
      bias: raw.bias ? int32(raw.bias.data_b64) : null,
      expected: { shape: raw.expected.shape, bits: uint16(raw.expected.bits_b64) },
    };
  });
}

/** The geometry a case describes (what a kernel would receive). */
export function caseGeometry(c: QuantConv2dCase): QuantConv2dGeometry {
  const [n, cin, h, w] = c.input.shape as [number, number, number, number];
  const [cout, , kh, kw] = c.weight.shape as [number, number, number, number];
  const [hOut, wOut] = [c.expected.shape[2]!, c.expected.shape[3]!];
  return {
    n,
    cin,
    h,
    w,
    cout,
    kh,
    kw,
    hOut,
    wOut,
    offsetX: c.offsetX,
    strideH: c.stride[0],
    strideW: c.stride[1],
    padH: c.padding[0],
    padW: c.padding[1],
    dilationH: c.dilation[0],
    dilationW: c.dilation[1],
  };
}

export interface TransQuantParamCase {
  readonly scale: Float32Array;
  readonly offset: Float32Array | null;
  readonly expected: BigInt64Array;
}

export function transQuantParamCases(): TransQuantParamCase[] {
  const raw = readJson<{
    cases: {
      scale_float32_b64: string;
      offset_float32_b64: string | null;
      expected_int64: string[];
    }[];
  }>("trans_quant_param", "cases.json");
  return raw.cases.map((c) => ({
    scale: float32(c.scale_float32_b64),
    offset: c.offset_float32_b64 ? float32(c.offset_float32_b64) : null,
    expected: BigInt64Array.from(c.expected_int64.map((s) => BigInt(s))),
  }));
}

/** float32 bits -> float16 bits (round to nearest even), every halfway point included. */
export function float32ToFloat16Vectors(): { f32Bits: Uint32Array; f16Bits: Uint16Array } {
  const raw = readJson<{ f32_bits_b64: string; f16_bits_b64: string }>(
    "float16",
    "f32_to_f16.json",
  );
  return { f32Bits: uint32(raw.f32_bits_b64), f16Bits: uint16(raw.f16_bits_b64) };
}

/** Every float16 bit pattern -> float32 bits. */
export function float16ToFloat32Vectors(): { f16Bits: Uint16Array; f32Bits: Uint32Array } {
  const raw = readJson<{ f16_bits_b64: string; f32_bits_b64: string }>(
    "float16",
    "f16_to_f32.json",
  );
  return { f16Bits: uint16(raw.f16_bits_b64), f32Bits: uint32(raw.f32_bits_b64) };
}

/** One raw array of an npu_quantize case: its dtype name and little-endian bytes. */
export interface RawArray {
  readonly shape: number[];
  readonly dtype: "float32" | "float16" | "int8" | "uint8" | "int32";
  readonly bytes: Uint8Array;
}

export interface NpuQuantizeCase {
  readonly name: string;
  /** "torch" (computed with PyTorch) or "saturate" (the spec's saturation rule). */
  readonly rule: string;
  readonly input: RawArray;
  readonly scales: RawArray;
  readonly zeroPoints: RawArray | null;
  readonly dtype: "int8" | "uint8" | "int32";
  readonly axis: number;
  readonly divMode: boolean;
  readonly expected: RawArray;
}

interface RawJsonArray {
  shape: number[];
  dtype: RawArray["dtype"];
  data_b64: string;
}

const rawArray = (a: RawJsonArray): RawArray => ({
  shape: a.shape,
  dtype: a.dtype,
  bytes: bytes(a.data_b64),
});

export function npuQuantizeCases(): NpuQuantizeCase[] {
  const files = readdirSync(join(vectorsDir, "npu_quantize"))
    .filter((f) => f.endsWith(".json"))
    .sort();
  return files.map((file) => {
    const raw = readJson<{
      name: string;
      rule: string;
      input: RawJsonArray;
      scales: RawJsonArray;
      zero_points: RawJsonArray | null;
      dtype: NpuQuantizeCase["dtype"];
      axis: number;
      div_mode: boolean;
      expected: RawJsonArray;
    }>("npu_quantize", file);
    return {
      name: raw.name,
      rule: raw.rule,
      input: rawArray(raw.input),
      scales: rawArray(raw.scales),
      zeroPoints: raw.zero_points ? rawArray(raw.zero_points) : null,
      dtype: raw.dtype,
      axis: raw.axis,
      divMode: raw.div_mode,
      expected: rawArray(raw.expected),
    };
  });
}
