// Creation functions, torch-style: tensor, empty, zeros, ones, full, arange, rand, randn,
// randint. Values are built on the host, then moved to the requested device.

import { Device, type DeviceLike } from "./device.js";
import { getBackend, targetDevice } from "./dispatch/backend.js";
import {
  bool,
  defaultFloatDType,
  defaultIntDType,
  float16,
  float32,
  float64,
  int16,
  int32,
  int64,
  int8,
  uint8,
  type DType,
  type DTypeName,
  type TypedArray,
} from "./dtype.js";
import { ArgumentError, describe } from "./errors.js";
import { writeScalar, type Scalar } from "./numerics/elements.js";
import { float32ArrayToFloat16Bits } from "./numerics/float16.js";
import { randomInt, randomNormal, randomUniform } from "./random.js";
import { checkShape, numel } from "./shape.js";
import { HostStorage } from "./storage.js";
import { Tensor, asDType, type NestedList } from "./tensor.js";

export interface CreationOptions {
  readonly dtype?: DType | DTypeName;
  readonly device?: DeviceLike;
}

/** A host tensor filled by `fill(i)`, then moved to the requested device. */
function build(
  op: string,
  shape: readonly number[],
  dtype: DType,
  device: DeviceLike | undefined,
  fill?: (data: TypedArray) => void,
): Tensor {
  const data = dtype.allocate(numel(checkShape(op, shape)), op);
  fill?.(data);
  const target = device === undefined ? Device.of("cpu") : targetDevice(op, "device", device);
  return Tensor.fromStorage(new HostStorage(dtype, data), shape, Device.of("cpu")).to(target);
}

/** The values an integer dtype holds; uint8 also takes negatives down to -255, as C++'s checked conversion torch uses. */
function intRange(dtype: DType): [bigint, bigint] {
  const bits = BigInt(dtype.itemSize * 8);
  const max = dtype.isSigned ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
  return [dtype.isSigned ? -max - 1n : -max, max];
}

/** torch raises for a value its integer dtype cannot hold (tensor([300], int8), NaN into int32) instead of wrapping it. */
function checkFits(
  op: string,
  argument: string,
  dtype: DType,
  value: Scalar,
  received: Scalar = value,
): void {
  if (dtype.kind !== "int" || typeof value === "boolean") return;
  const [min, max] = intRange(dtype);
  const v =
    typeof value === "bigint" ? value : Number.isFinite(value) ? BigInt(Math.trunc(value)) : null;
  if (v === null || v < min || v > max) {
    throw new ArgumentError(
      op,
      argument,
      `values that fit ${dtype.name} ([${min}, ${max}]), as torch requires`,
      describe(received),
    );
  }
}

const arrayDTypes: [abstract new (length: number) => TypedArray, DType][] = [
  [Int8Array, int8],
  [Uint8Array, uint8],
  [Int16Array, int16],
  [Int32Array, int32],
  [BigInt64Array, int64],
  [Float32Array, float32],
  [Float64Array, float64],
];

/**
 * A typed array's values as a 1-d tensor. Its own dtype, or float32 values as float16, are
 * written straight into the target device's memory in one pass (the usual way to feed a float16
 * network: `tensor(pixels, { dtype: float16, device: "wasm" })`); other conversions go through
 * `to()`.
 */
function fromTypedArray(typed: TypedArray, options: CreationOptions): Tensor {
  const requested = options.dtype === undefined ? undefined : asDType(options.dtype);
  const own =
    typed instanceof Uint16Array && requested === float16
      ? float16
      : arrayDTypes.find(([ctor]) => typed instanceof ctor)?.[1];
  if (!own)
    throw new ArgumentError(
      "tensor",
      "values",
      "nested arrays or an Int8/Uint8/Int16/Int32/BigInt64/Float32/Float64Array (Uint16Array with dtype float16)",
      typed.constructor.name,
    );
  const dtype = requested ?? own;
  const halving = own === float32 && dtype === float16;
  if (dtype !== own && !halving) {
    return build("tensor", [typed.length], own, undefined, (d) => d.set(typed as never)).to({
      dtype,
      device: options.device ?? "cpu",
    });
  }
  const device =
    options.device === undefined
      ? Device.of("cpu")
      : targetDevice("tensor", "device", options.device);
  const out = Tensor.forOutput(checkShape("tensor", [typed.length]), dtype, device);
  if (!halving) {
    out.storage.data.set(typed as never);
    return out;
  }
  const values = typed as Float32Array;
  const writeFloat16 = getBackend(device.type).writeFloat16;
  if (writeFloat16) writeFloat16(out.storage, values);
  else float32ArrayToFloat16Bits(values, 0, out.storage.data as Uint16Array, 0, values.length);
  return out;
}

/**
 * A tensor from nested arrays (numbers, booleans, bigints) or a typed array. Without a dtype,
 * torch's inference applies: all booleans -> bool, all integers -> int64, else float32; a typed
 * array keeps its own type (a Uint16Array needs `dtype: float16`: it then holds float16 bits).
 *
 * @example
 * tensor([[1, 2], [3, 4]], { dtype: int8 });
 * tensor(new Uint16Array([0x3c00]), { dtype: float16 }); // [1.]
 */
export function tensor(values: NestedList | TypedArray, options: CreationOptions = {}): Tensor {
  if (ArrayBuffer.isView(values)) return fromTypedArray(values as TypedArray, options);
  const shape: number[] = [];
  for (let v: unknown = values; Array.isArray(v); v = v[0]) shape.push(v.length);
  const flat: Scalar[] = [];
  const walk = (v: unknown, dim: number): void => {
    if (dim === shape.length) {
      if (typeof v !== "number" && typeof v !== "boolean" && typeof v !== "bigint") {
        throw new ArgumentError("tensor", "values", "numbers, booleans or bigints", describe(v));
      }
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new ArgumentError(
        "tensor",
        "values",
        `a rectangular nested array (length ${shape[dim]} at depth ${dim})`,
        describe(v),
      );
    }
    for (const x of v) walk(x, dim + 1);
  };
  walk(values, 0);
  const inferred =
    flat.length > 0 && flat.every((x) => typeof x === "boolean")
      ? bool
      : flat.length > 0 &&
          flat.every(
            (x) =>
              typeof x === "bigint" ||
              (typeof x === "number" && Number.isInteger(x)) ||
              typeof x === "boolean",
          )
        ? defaultIntDType
        : defaultFloatDType;
  const dtype = options.dtype === undefined ? inferred : asDType(options.dtype);
  for (const x of flat) checkFits("tensor", "values", dtype, x);
  return build("tensor", shape, dtype, options.device, (d) =>
    flat.forEach((x, i) => writeScalar(dtype, d, i, x)),
  );
}

export function empty(shape: readonly number[], options: CreationOptions = {}): Tensor {
  return zeros(shape, options);
}

export function zeros(shape: readonly number[], options: CreationOptions = {}): Tensor {
  return build("zeros", shape, asDType(options.dtype ?? defaultFloatDType), options.device);
}

export function ones(shape: readonly number[], options: CreationOptions = {}): Tensor {
  // float32 by default like torch.ones (full() would infer int64 from the integer 1).
  return full(shape, 1, { ...options, dtype: options.dtype ?? defaultFloatDType });
}

/** A tensor filled with `value`; without a dtype: bool for booleans, int64 for integers, else float32. */
export function full(
  shape: readonly number[],
  value: Scalar,
  options: CreationOptions = {},
): Tensor {
  if (typeof value !== "number" && typeof value !== "bigint" && typeof value !== "boolean")
    throw new ArgumentError("full", "value", "a number, bigint or boolean", describe(value));
  const inferred =
    typeof value === "boolean"
      ? bool
      : typeof value === "bigint" || Number.isInteger(value)
        ? defaultIntDType
        : defaultFloatDType;
  const dtype = options.dtype === undefined ? inferred : asDType(options.dtype);
  checkFits("full", "value", dtype, value);
  return build("full", shape, dtype, options.device, (d) => {
    for (let i = 0; i < d.length; i++) writeScalar(dtype, d, i, value);
  });
}

/** Values start, start + step, ... below end (int64 when all arguments are integers, else float32). */
export function arange(
  start: number,
  end?: number,
  step = 1,
  options: CreationOptions = {},
): Tensor {
  const [lo, hi] = end === undefined ? [0, start] : [start, end];
  if (end !== undefined && !Number.isFinite(start))
    throw new ArgumentError("arange", "start", "a finite number", describe(start));
  if (!Number.isFinite(hi))
    throw new ArgumentError("arange", "end", "a finite number", describe(hi));
  if (!Number.isFinite(step) || step === 0)
    throw new ArgumentError("arange", "step", "a non-zero finite number", describe(step));
  const count = Math.max(0, Math.ceil((hi - lo) / step));
  const ints = [lo, hi, step].every(Number.isInteger);
  const dtype =
    options.dtype === undefined
      ? ints
        ? defaultIntDType
        : defaultFloatDType
      : asDType(options.dtype);
  return build("arange", [count], dtype, options.device, (d) => {
    for (let i = 0; i < count; i++) writeScalar(dtype, d, i, lo + i * step);
  });
}

function floatDType(op: string, options: CreationOptions): DType {
  const dtype = asDType(options.dtype ?? defaultFloatDType);
  if (!dtype.isFloatingPoint)
    throw new ArgumentError(op, "dtype", "a floating-point dtype", dtype.name);
  return dtype;
}

/** Uniform in [0, 1). Deterministic after manualSeed(). */
export function rand(shape: readonly number[], options: CreationOptions = {}): Tensor {
  const dtype = floatDType("rand", options);
  return build("rand", shape, dtype, options.device, (d) => {
    for (let i = 0; i < d.length; i++) writeScalar(dtype, d, i, randomUniform());
  });
}

/** Standard normal. Deterministic after manualSeed(). */
export function randn(shape: readonly number[], options: CreationOptions = {}): Tensor {
  const dtype = floatDType("randn", options);
  return build("randn", shape, dtype, options.device, (d) => {
    for (let i = 0; i < d.length; i++) writeScalar(dtype, d, i, randomNormal());
  });
}

/** Uniform integers in [low, high) (torch.randint(low, high, size)); int64 unless a dtype is given. */
export function randint(
  low: number,
  high: number,
  shape: readonly number[],
  options: CreationOptions = {},
): Tensor {
  if (!Number.isInteger(low))
    throw new ArgumentError("randint", "low", "an integer", describe(low));
  if (!Number.isInteger(high) || high <= low)
    throw new ArgumentError("randint", "high", `an integer > low (${low})`, describe(high));
  const dtype = asDType(options.dtype ?? defaultIntDType);
  checkFits("randint", "low", dtype, low);
  checkFits("randint", "high", dtype, high - 1, high); // high is exclusive, as in torch's check_from_to
  return build("randint", shape, dtype, options.device, (d) => {
    for (let i = 0; i < d.length; i++) writeScalar(dtype, d, i, randomInt(low, high));
  });
}
