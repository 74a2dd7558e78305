// The bad-input catalog (issue 12): wrong calls across the public API, each with the error class
// it must throw and the argument the error must name. An ArgumentError is checked by its `op`
// and `argument` fields; other classes by a message that names the culprit.

import { describe, expect, it } from "vitest";
import * as torch from "../src/index.js";
import {
  ArgumentError,
  Device,
  DeviceMismatchError,
  Graph,
  OutOfMemoryError,
  type Tensor,
  TsnpuError,
  UnsupportedError,
  abs,
  add,
  allclose,
  amax,
  amin,
  arange,
  argmax,
  asStrided,
  avgPool2d,
  bool,
  cast,
  clamp,
  compile,
  conv2d,
  div,
  empty,
  eq,
  equal,
  float16,
  float32,
  full,
  int16,
  int32,
  int64,
  int8,
  isclose,
  manualSeed,
  matmul,
  maxPool2d,
  mean,
  mul,
  neg,
  npu,
  npuQuantConv2d,
  npuTransQuantParam,
  npuQuantize,
  ones,
  rand,
  randint,
  randn,
  registerBackend,
  relu,
  sub,
  sum,
  tensor,
  uint8,
  wasm,
  where,
  zeros,
  type NpuQuantConv2dOptions,
} from "../src/index.js";
import { QuantConv2d } from "../src/contrib.js";

type ErrorClass = abstract new (...args: never[]) => Error;

interface BadCall {
  /** The call as a user would write it. */
  readonly call: string;
  readonly run: () => unknown;
  readonly error: ErrorClass;
  /** For ArgumentError: the `op` and `argument` it must name. */
  readonly op?: string;
  readonly argument?: string;
  /** For other classes: what the message must say. */
  readonly message?: RegExp;
}

const bad = (call: string, run: () => unknown, op: string, argument: string): BadCall => ({
  call,
  run,
  error: ArgumentError,
  op,
  argument,
});
const badOther = (
  call: string,
  run: () => unknown,
  error: ErrorClass,
  message: RegExp,
): BadCall => ({ call, run, error, message });

// Fixtures: valid tensors the bad calls get wrong in one place each.
const t = zeros([2, 3]);
const t8 = zeros([2, 3], { dtype: int8 });
const tb = zeros([2, 3], { dtype: bool });
const ti = zeros([2, 3], { dtype: int32 });
const img = zeros([1, 1, 4, 4]);
const w = zeros([1, 1, 3, 3]);
const x8 = zeros([1, 1, 4, 4], { dtype: int8 });
const w8 = zeros([1, 1, 3, 3], { dtype: int8 });
const s64 = zeros([1], { dtype: int64 });
const b32 = zeros([1], { dtype: int32 });
const qopts: NpuQuantConv2dOptions = {
  outputDtype: float16,
  strides: [1, 1],
  pads: [0, 0],
  dilations: [1, 1],
};
const qc = (
  over: Partial<Record<keyof NpuQuantConv2dOptions, unknown>>,
  x: unknown = x8,
  wt: unknown = w8,
  s: unknown = s64,
) =>
  npuQuantConv2d(
    x as Tensor,
    wt as Tensor,
    s as Tensor,
    { ...qopts, ...over } as NpuQuantConv2dOptions,
  );
const any = <T>(v: unknown) => v as T;
const qmodule = () => new QuantConv2d(1, 2, 1, float16);

const creation: BadCall[] = [
  bad('tensor("abc")', () => tensor(any("abc")), "tensor", "values"),
  bad("tensor([[1, 2], [3]])", () => tensor([[1, 2], [3]]), "tensor", "values"),
  bad('tensor([1, "a"])', () => tensor(any([1, "a"])), "tensor", "values"),
  bad("tensor([{}])", () => tensor(any([{}])), "tensor", "values"),
  bad("tensor([null])", () => tensor(any([null])), "tensor", "values"),
  bad(
    "tensor(new Uint16Array(2)) without dtype float16",
    () => tensor(new Uint16Array(2)),
    "tensor",
    "values",
  ),
  bad("tensor(new Uint32Array(2))", () => tensor(any(new Uint32Array(2))), "tensor", "values"),
  bad(
    'tensor([1], { dtype: "int4" })',
    () => tensor([1], { dtype: any("int4") }),
    "dtype",
    "dtype",
  ),
  bad(
    "tensor([300, -200], { dtype: int8 })",
    () => tensor([300, -200], { dtype: int8 }),
    "tensor",
    "values",
  ),
  bad(
    "tensor([NaN], { dtype: int32 })",
    () => tensor([Number.NaN], { dtype: int32 }),
    "tensor",
    "values",
  ),
  bad(
    "tensor([Infinity], { dtype: int64 })",
    () => tensor([Number.POSITIVE_INFINITY], { dtype: int64 }),
    "tensor",
    "values",
  ),
  bad(
    "tensor([2 ** 31], { dtype: int32 })",
    () => tensor([2 ** 31], { dtype: int32 }),
    "tensor",
    "values",
  ),
  bad("tensor([256], { dtype: uint8 })", () => tensor([256], { dtype: uint8 }), "tensor", "values"),
  bad(
    "tensor([-32769], { dtype: int16 })",
    () => tensor([-32769], { dtype: int16 }),
    "tensor",
    "values",
  ),
  bad(
    "tensor([2n ** 63n], { dtype: int64 })",
    () => tensor([2n ** 63n], { dtype: int64 }),
    "tensor",
    "values",
  ),
  bad('zeros("3")', () => zeros(any("3")), "zeros", "size"),
  bad("zeros([-1])", () => zeros([-1]), "zeros", "size"),
  bad("zeros([1.5])", () => zeros([1.5]), "zeros", "size"),
  bad("zeros([NaN])", () => zeros([Number.NaN]), "zeros", "size"),
  bad("zeros(null)", () => zeros(any(null)), "zeros", "size"),
  bad(
    'zeros([2], { dtype: "float8" })',
    () => zeros([2], { dtype: any("float8") }),
    "dtype",
    "dtype",
  ),
  bad("zeros([2], { dtype: {} })", () => zeros([2], { dtype: any({}) }), "dtype", "dtype"),
  bad("ones([-2])", () => ones([-2]), "full", "size"),
  bad("empty([-3])", () => empty([-3]), "zeros", "size"),
  bad('full([2], "a")', () => full([2], any("a")), "full", "value"),
  bad("full([2], 300, { dtype: int8 })", () => full([2], 300, { dtype: int8 }), "full", "value"),
  bad(
    "full([2], NaN, { dtype: int32 })",
    () => full([2], Number.NaN, { dtype: int32 }),
    "full",
    "value",
  ),
  bad("arange(0, 10, 0)", () => arange(0, 10, 0), "arange", "step"),
  bad("arange(0, 10, Infinity)", () => arange(0, 10, Number.POSITIVE_INFINITY), "arange", "step"),
  bad("arange(NaN)", () => arange(Number.NaN), "arange", "end"),
  bad('arange("5")', () => arange(any("5")), "arange", "end"),
  bad("arange(Infinity)", () => arange(Number.POSITIVE_INFINITY), "arange", "end"),
  bad("arange(NaN, 5)", () => arange(Number.NaN, 5), "arange", "start"),
  bad("rand([2], { dtype: int32 })", () => rand([2], { dtype: int32 }), "rand", "dtype"),
  bad("randn([2], { dtype: int8 })", () => randn([2], { dtype: int8 }), "randn", "dtype"),
  bad("rand([-1])", () => rand([-1]), "rand", "size"),
  bad("randint(1.5, 3, [2])", () => randint(1.5, 3, [2]), "randint", "low"),
  bad("randint(0, 2.5, [2])", () => randint(0, 2.5, [2]), "randint", "high"),
  bad("randint(3, 3, [2])", () => randint(3, 3, [2]), "randint", "high"),
  bad(
    "randint(0, 1000, [4], { dtype: int8 })",
    () => randint(0, 1000, [4], { dtype: int8 }),
    "randint",
    "high",
  ),
  bad(
    "randint(-200, 0, [2], { dtype: int8 })",
    () => randint(-200, 0, [2], { dtype: int8 }),
    "randint",
    "low",
  ),
  bad("randint(0, 2, [-1])", () => randint(0, 2, [-1]), "randint", "size"),
  bad('manualSeed("x")', () => manualSeed(any("x")), "manualSeed", "seed"),
  bad("manualSeed(1.5)", () => manualSeed(1.5), "manualSeed", "seed"),
  badOther(
    "zeros([1e9, 1e9])",
    () => zeros([1e9, 1e9]),
    OutOfMemoryError,
    /zeros: cannot allocate 4000000000000000000 bytes: the limit is 17179869184 bytes/,
  ),
  badOther(
    "arange(0, 1e12)",
    () => arange(0, 1e12),
    OutOfMemoryError,
    /arange: cannot allocate 8000000000000 bytes/,
  ),
  badOther(
    "full([2 ** 20, 2 ** 20], 1, { dtype: int8 })",
    () => full([2 ** 20, 2 ** 20], 1, { dtype: int8 }),
    OutOfMemoryError,
    /full: cannot allocate 1099511627776 bytes/,
  ),
];

const devices: BadCall[] = [
  bad('Device.of("")', () => Device.of(""), "device", "device"),
  bad('Device.of("npu:-1")', () => Device.of("npu:-1"), "device", "device"),
  bad('Device.of("npu:x")', () => Device.of("npu:x"), "device", "device"),
  bad('Device.of("CPU")', () => Device.of("CPU"), "device", "device"),
  bad("Device.of(null)", () => Device.of(any(null)), "device", "device"),
  bad("Device.of(0)", () => Device.of(any(0)), "device", "device"),
  bad('zeros([1], { device: "cpu:1" })', () => zeros([1], { device: "cpu:1" }), "device", "device"),
  bad('zeros([1], { device: "npu:9" })', () => zeros([1], { device: "npu:9" }), "device", "device"),
  bad(
    'zeros([1], { device: "wasm:1" })',
    () => zeros([1], { device: "wasm:1" }),
    "device",
    "device",
  ),
  bad('zeros([1], { device: "int4" })', () => zeros([1], { device: "int4" }), "zeros", "device"),
  bad('tensor([1], { device: "tpu" })', () => tensor([1], { device: "tpu" }), "tensor", "device"),
  bad('rand([1], { device: "npu:8" })', () => rand([1], { device: "npu:8" }), "device", "device"),
  bad('t.to("int4")', () => t.to("int4"), "to", "target"),
  bad('t.to("npu:9")', () => t.to("npu:9"), "device", "device"),
  bad('t.to({ device: "int4" })', () => t.to({ device: "int4" }), "to", "device"),
  bad('t.to({ dtype: "int4" })', () => t.to({ dtype: any("int4") }), "dtype", "dtype"),
  bad("t.to(5)", () => t.to(any(5)), "to", "target"),
  bad("t.to(null)", () => t.to(any(null)), "to", "target"),
  bad("t.npu(9)", () => t.npu(9), "device", "device"),
  bad("cast(t, 5)", () => cast(t, any(5)), "cast", "dtype"),
  bad("npu.setDevice(8)", () => npu.setDevice(8), "npu.setDevice", "device"),
  bad('npu.setDevice("npu:9")', () => npu.setDevice("npu:9"), "npu.setDevice", "device"),
  bad(
    'npu.setDevice(0, { soc: "Ascend999" })',
    () => npu.setDevice(0, { soc: any("Ascend999") }),
    "npu.setDevice",
    "soc",
  ),
  bad(
    "npu.getDeviceProperties(9)",
    () => npu.getDeviceProperties(9),
    "npu.getDeviceProperties",
    "device",
  ),
  badOther(
    "add(t, t on npu)",
    () => add(t, t.to("npu:0")),
    DeviceMismatchError,
    /add: expected all tensors on one device, but found cpu and npu:0/,
  ),
  badOther(
    "npuQuantConv2d(x on npu, w on cpu, ...)",
    () => qc({}, x8.npu()),
    DeviceMismatchError,
    /npu_quant_conv2d: .* npu:0 and cpu/,
  ),
  badOther(
    'registerBackend({ name: "cpu", ... }) (a second cpu backend)',
    () =>
      registerBackend({
        name: "cpu",
        allocate: () => {
          throw new Error("unused");
        },
      }),
    TsnpuError,
    /a different backend named "cpu" is already registered/,
  ),
  badOther(
    'zeros([1], { device: "wasm" }) before wasm.ready()',
    () => zeros([1], { device: "wasm" }),
    TsnpuError,
    /the wasm backend is not started: `await wasm.ready\(\)`/,
  ),
];

const tensorMethods: BadCall[] = [
  bad("t.size(5)", () => t.size(5), "size", "dim"),
  bad("t.size(1.5)", () => t.size(1.5), "size", "dim"),
  bad("t.item() on 6 elements", () => t.item(), "item", "self"),
  bad("t.view(4, 2)", () => t.view(4, 2), "view", "shape"),
  bad("t.view(-1, -1)", () => t.view(-1, -1), "view", "shape"),
  bad('t.view("a")', () => t.view(any<number>("a")), "view", "shape"),
  bad("t.transpose(0, 1).view(6)", () => t.transpose(0, 1).view(6), "view", "self"),
  bad("t.reshape(7)", () => t.reshape(7), "reshape", "shape"),
  bad("t.reshape(1.5, 4)", () => t.reshape(1.5, 4), "reshape", "shape"),
  bad("t.reshape(-2, 3)", () => t.reshape(-2, 3), "reshape", "shape"),
  bad("t.permute(0)", () => t.permute(0), "permute", "dims"),
  bad("t.permute(0, 0)", () => t.permute(0, 0), "permute", "dims"),
  bad("t.permute(0, 5)", () => t.permute(0, 5), "permute", "dims"),
  bad("t.transpose(0, 2)", () => t.transpose(0, 2), "transpose", "dim1"),
  bad("t.transpose(3, 0)", () => t.transpose(3, 0), "transpose", "dim0"),
  bad("t.squeeze(3)", () => t.squeeze(3), "squeeze", "dim"),
  bad("t.unsqueeze(4)", () => t.unsqueeze(4), "unsqueeze", "dim"),
  bad("t.unsqueeze(-4)", () => t.unsqueeze(-4), "unsqueeze", "dim"),
  bad("t.narrow(5, 0, 1)", () => t.narrow(5, 0, 1), "narrow", "dim"),
  bad("t.narrow(0, 3, 1)", () => t.narrow(0, 3, 1), "narrow", "start"),
  bad("t.narrow(0, 0, 5)", () => t.narrow(0, 0, 5), "narrow", "length"),
  bad("t.narrow(0, 0, -1)", () => t.narrow(0, 0, -1), "narrow", "length"),
  bad("t.select(0, 2)", () => t.select(0, 2), "select", "index"),
  bad("t.select(0, 1.5)", () => t.select(0, 1.5), "select", "index"),
  bad("t.select(2, 0)", () => t.select(2, 0), "select", "dim"),
  bad("t.flatten(1, 0)", () => t.flatten(1, 0), "flatten", "startDim"),
  bad("t.flatten(0, 5)", () => t.flatten(0, 5), "flatten", "endDim"),
  bad(
    "asStrided(zeros([4]), [1, 1, 64, 64], [4096, 4096, 64, 1])",
    () => asStrided(zeros([4]), [1, 1, 64, 64], [4096, 4096, 64, 1]),
    "as_strided",
    "size",
  ),
  bad(
    "asStrided(zeros([4]), [2], [-1], 3)",
    () => asStrided(zeros([4]), [2], [-1], 3),
    "as_strided",
    "strides",
  ),
  bad(
    "asStrided(zeros([4]), [2, 2], [1])",
    () => asStrided(zeros([4]), [2, 2], [1]),
    "as_strided",
    "strides",
  ),
  bad(
    "asStrided(zeros([4]), [2], [1], -1)",
    () => asStrided(zeros([4]), [2], [1], -1),
    "as_strided",
    "offset",
  ),
  bad(
    "asStrided(zeros([4]), [-1], [1])",
    () => asStrided(zeros([4]), [-1], [1]),
    "as_strided",
    "size",
  ),
  bad("asStrided([1, 2], [1], [1])", () => asStrided(any([1, 2]), [1], [1]), "as_strided", "input"),
  bad("t.sum(5)", () => t.sum(5), "sum", "dim"),
  bad('t.sum(0, "yes")', () => t.sum(0, any("yes")), "sum", "keepdim"),
  bad("t.equal(5)", () => t.equal(any(5)), "equal", "other"),
];

const elementwise: BadCall[] = [
  bad('add(t, "a")', () => add(t, any("a")), "add", "other"),
  bad("add(t, [1, 2])", () => add(t, any([1, 2])), "add", "other"),
  bad("add([1, 2], t)", () => add(any([1, 2]), t), "add", "self"),
  bad("add([1, 2], 1)", () => add(any([1, 2]), 1), "add", "self"),
  bad("add(t, zeros([4]))", () => add(t, zeros([4])), "add", "other"),
  bad("add(t, 1, NaN)", () => add(t, 1, Number.NaN), "add", "alpha"),
  bad("add(ti, 1, 0.5)", () => add(ti, 1, 0.5), "add", "alpha"),
  bad("add(t8, 300)", () => add(t8, 300), "add", "other"),
  bad("add(null, t)", () => add(any(null), t), "add", "self"),
  bad("sub(tb, tb)", () => sub(tb, tb), "sub", "other"),
  bad("sub(t, null)", () => sub(t, any(null)), "sub", "other"),
  bad("mul(t, undefined)", () => mul(t, any(undefined)), "mul", "other"),
  bad("mul(t8, -129)", () => mul(t8, -129), "mul", "other"),
  bad("div(t, {})", () => div(t, any({})), "div", "other"),
  bad("div({}, t)", () => div(any({}), t), "div", "self"),
  bad("neg(tb)", () => neg(tb), "neg", "self"),
  bad("abs(tb)", () => abs(tb), "abs", "self"),
  bad('relu("x")', () => relu(any("x")), "relu", "self"),
  bad("neg(null)", () => neg(any(null)), "neg", "self"),
  bad("neg([1])", () => neg(any([1])), "neg", "self"),
  bad("clamp(t)", () => clamp(t), "clamp", "min"),
  bad('clamp(t, "a")', () => clamp(t, any("a")), "clamp", "min"),
  bad('clamp(t, null, "b")', () => clamp(t, null, any("b")), "clamp", "max"),
  bad("clamp(tb, 0, 1)", () => clamp(tb, 0, 1), "clamp", "self"),
  bad("clamp(t8, 0, 300)", () => clamp(t8, 0, 300), "clamp", "max"),
  bad('eq(t, "a")', () => eq(t, any("a")), "eq", "other"),
  bad("eq(t, zeros([5]))", () => eq(t, zeros([5])), "eq", "other"),
  bad("eq([1], t)", () => eq(any([1]), t), "eq", "self"),
  bad("where(t, t, t)", () => where(t, t, t), "where", "condition"),
  bad("where(tb, t, zeros([4]))", () => where(tb, t, zeros([4])), "where", "other"),
  bad('where(tb, "x", t)', () => where(tb, any("x"), t), "where", "self"),
  bad("isclose(t, ti)", () => isclose(t, ti), "isclose", "other"),
  bad("isclose(t, t, -1)", () => isclose(t, t, -1), "isclose", "rtol"),
  bad("isclose(t, t, 1e-5, NaN)", () => isclose(t, t, 1e-5, Number.NaN), "isclose", "atol"),
  bad('allclose(t, "x")', () => allclose(t, any("x")), "isclose", "other"),
  bad("equal(t, [0])", () => equal(t, any([0])), "equal", "other"),
];

const reductions: BadCall[] = [
  bad("sum(t, 5)", () => sum(t, 5), "sum", "dim"),
  bad("sum(t, [0, 0])", () => sum(t, [0, 0]), "sum", "dim"),
  bad("sum(t, 1.5)", () => sum(t, 1.5), "sum", "dim"),
  bad('sum("x")', () => sum(any("x")), "sum", "self"),
  bad("mean(ti)", () => mean(ti), "mean", "self"),
  bad("mean(t, -3)", () => mean(t, -3), "mean", "dim"),
  bad('amax(t, "a")', () => amax(t, any("a")), "amax", "dim"),
  bad("amax(zeros([0]))", () => amax(zeros([0])), "amax", "self"),
  bad("amin(zeros([2, 0]), 1)", () => amin(zeros([2, 0]), 1), "amin", "self"),
  bad("argmax(t, 5)", () => argmax(t, 5), "argmax", "dim"),
  bad("argmax(zeros([0]))", () => argmax(zeros([0])), "argmax", "self"),
  bad("argmax([1, 2])", () => argmax(any([1, 2])), "argmax", "self"),
];

const linearAlgebra: BadCall[] = [
  bad(
    "matmul(zeros([2, 3]), zeros([2, 3]))",
    () => matmul(zeros([2, 3]), zeros([2, 3])),
    "matmul",
    "other",
  ),
  bad("matmul(zeros([]), t)", () => matmul(zeros([]), t), "matmul", "self"),
  bad("matmul(t, zeros([]))", () => matmul(t, zeros([])), "matmul", "other"),
  bad('matmul(t, "x")', () => matmul(t, any("x")), "matmul", "other"),
  bad("matmul(ti, zeros([3, 2]))", () => matmul(ti, zeros([3, 2])), "matmul", "other"),
  bad(
    "matmul(tb, zeros([3, 2], { dtype: bool }))",
    () => matmul(tb, zeros([3, 2], { dtype: bool })),
    "matmul",
    "self",
  ),
  bad("matmul([[1]], t)", () => matmul(any([[1]]), t), "matmul", "self"),
];

const convolution: BadCall[] = [
  bad("conv2d(zeros([4, 4]), w)", () => conv2d(zeros([4, 4]), w), "conv2d", "input"),
  bad("conv2d(img, zeros([1, 1, 3]))", () => conv2d(img, zeros([1, 1, 3])), "conv2d", "weight"),
  bad(
    "conv2d(img, w, null, { stride: 0 })",
    () => conv2d(img, w, null, { stride: 0 }),
    "conv2d",
    "stride",
  ),
  bad(
    "conv2d(img, w, null, { stride: [1] })",
    () => conv2d(img, w, null, { stride: any([1]) }),
    "conv2d",
    "stride",
  ),
  bad(
    "conv2d(img, w, null, { padding: -1 })",
    () => conv2d(img, w, null, { padding: -1 }),
    "conv2d",
    "padding",
  ),
  bad(
    'conv2d(img, w, null, { padding: "full" })',
    () => conv2d(img, w, null, { padding: any("full") }),
    "conv2d",
    "padding",
  ),
  bad(
    'conv2d(img, w, null, { padding: "same", stride: 2 })',
    () => conv2d(img, w, null, { padding: "same", stride: 2 }),
    "conv2d",
    "padding",
  ),
  bad(
    "conv2d(img, w, null, { dilation: 0 })",
    () => conv2d(img, w, null, { dilation: 0 }),
    "conv2d",
    "dilation",
  ),
  bad(
    "conv2d(img, w, null, { groups: 0 })",
    () => conv2d(img, w, null, { groups: 0 }),
    "conv2d",
    "groups",
  ),
  bad(
    "conv2d(img, w, null, { groups: 2 })",
    () => conv2d(img, w, null, { groups: 2 }),
    "conv2d",
    "input",
  ),
  bad(
    "conv2d(zeros([1, 2, 4, 4]), zeros([3, 1, 3, 3]), null, { groups: 2 })",
    () => conv2d(zeros([1, 2, 4, 4]), zeros([3, 1, 3, 3]), null, { groups: 2 }),
    "conv2d",
    "weight",
  ),
  bad("conv2d(zeros([1, 1, 2, 2]), w)", () => conv2d(zeros([1, 1, 2, 2]), w), "conv2d", "input"),
  bad("conv2d(img, w, zeros([2]))", () => conv2d(img, w, zeros([2])), "conv2d", "bias"),
  bad('conv2d("x", w)', () => conv2d(any("x"), w), "conv2d", "input"),
  bad('conv2d(img, "w")', () => conv2d(img, any("w")), "conv2d", "weight"),
  bad('conv2d(img, w, "b")', () => conv2d(img, w, any("b")), "conv2d", "bias"),
  bad("conv2d(x8, w8)", () => conv2d(x8, w8), "conv2d", "input"),
  bad(
    "conv2d(img, zeros([1, 1, 3, 3], { dtype: float16 }))",
    () => conv2d(img, zeros([1, 1, 3, 3], { dtype: float16 })),
    "conv2d",
    "weight",
  ),
  bad("maxPool2d(zeros([4, 4]), 2)", () => maxPool2d(zeros([4, 4]), 2), "max_pool2d", "input"),
  bad("maxPool2d(img, 0)", () => maxPool2d(img, 0), "max_pool2d", "kernelSize"),
  bad("maxPool2d(img, [2])", () => maxPool2d(img, any([2])), "max_pool2d", "kernelSize"),
  bad(
    "maxPool2d(img, 2, { stride: 0 })",
    () => maxPool2d(img, 2, { stride: 0 }),
    "max_pool2d",
    "stride",
  ),
  bad(
    "maxPool2d(img, 2, { padding: 2 })",
    () => maxPool2d(img, 2, { padding: 2 }),
    "max_pool2d",
    "padding",
  ),
  bad(
    "maxPool2d(img, 2, { dilation: 0 })",
    () => maxPool2d(img, 2, { dilation: 0 }),
    "max_pool2d",
    "dilation",
  ),
  bad(
    'maxPool2d(img, 2, { ceilMode: "yes" })',
    () => maxPool2d(img, 2, { ceilMode: any("yes") }),
    "max_pool2d",
    "ceilMode",
  ),
  bad("maxPool2d(img, 5)", () => maxPool2d(img, 5), "max_pool2d", "input"),
  bad(
    "maxPool2d(zeros([1, 1, 4, 4], { dtype: bool }), 2)",
    () => maxPool2d(zeros([1, 1, 4, 4], { dtype: bool }), 2),
    "max_pool2d",
    "input",
  ),
  bad("maxPool2d([1], 2)", () => maxPool2d(any([1]), 2), "max_pool2d", "input"),
  bad("avgPool2d(x8, 2)", () => avgPool2d(x8, 2), "avg_pool2d", "input"),
  bad(
    "avgPool2d(img, 2, { divisorOverride: 0 })",
    () => avgPool2d(img, 2, { divisorOverride: 0 }),
    "avg_pool2d",
    "divisorOverride",
  ),
  bad(
    "avgPool2d(img, 2, { divisorOverride: 1.5 })",
    () => avgPool2d(img, 2, { divisorOverride: 1.5 }),
    "avg_pool2d",
    "divisorOverride",
  ),
  bad('avgPool2d("x", 2)', () => avgPool2d(any("x"), 2), "avg_pool2d", "input"),
];

const quant: BadCall[] = [
  bad(
    "npuQuantize(zeros([2, 3], { dtype: int8 }), ...)",
    () => npuQuantize(zeros([2, 3], { dtype: int8 }), zeros([3]), null, int8),
    "npu_quantize",
    "input",
  ),
  bad(
    'npuQuantize(zeros([2, 3]), "s", ...)',
    () => npuQuantize(zeros([2, 3]), any("s"), null, int8),
    "npu_quantize",
    "scales",
  ),
  bad(
    "npuQuantize(..., zeroPoints float32, int8)",
    () => npuQuantize(zeros([2, 3]), zeros([3]), zeros([3]), int8),
    "npu_quantize",
    "zeroPoints",
  ),
  bad(
    "npuQuantize(..., { divMode: 1 })",
    () => npuQuantize(zeros([2, 3]), zeros([3]), null, int8, { divMode: any(1) }),
    "npu_quantize",
    "divMode",
  ),
  bad(
    "npuQuantize(..., { axis: 2 })",
    () => npuQuantize(zeros([2, 3]), zeros([3]), null, int8, { axis: 2 }),
    "npu_quantize",
    "axis",
  ),
  bad(
    "npuQuantize(..., float16)",
    () => npuQuantize(zeros([2, 3]), zeros([3]), null, float16),
    "npu_quantize",
    "dtype",
  ),
  bad(
    "npuTransQuantParam(zeros([2, 2]))",
    () => npuTransQuantParam(zeros([2, 2])),
    "npu_trans_quant_param",
    "scale",
  ),
  bad(
    "npuTransQuantParam(zeros([1, 2, 3]))",
    () => npuTransQuantParam(zeros([1, 2, 3])),
    "npu_trans_quant_param",
    "scale",
  ),
  bad(
    "npuTransQuantParam(zeros([2], { dtype: int64 }))",
    () => npuTransQuantParam(zeros([2], { dtype: int64 })),
    "npu_trans_quant_param",
    "scale",
  ),
  bad(
    'npuTransQuantParam("x")',
    () => npuTransQuantParam(any("x")),
    "npu_trans_quant_param",
    "scale",
  ),
  bad(
    "npuTransQuantParam([0.5])",
    () => npuTransQuantParam(any([0.5])),
    "npu_trans_quant_param",
    "scale",
  ),
  bad(
    "npuTransQuantParam(zeros([2]), zeros([3]))",
    () => npuTransQuantParam(zeros([2]), zeros([3])),
    "npu_trans_quant_param",
    "offset",
  ),
  bad(
    "npuTransQuantParam(zeros([2]), zeros([2], { dtype: int32 }))",
    () => npuTransQuantParam(zeros([2]), zeros([2], { dtype: int32 })),
    "npu_trans_quant_param",
    "offset",
  ),
  bad(
    "npuTransQuantParam(zeros([2]), [0])",
    () => npuTransQuantParam(zeros([2]), any([0])),
    "npu_trans_quant_param",
    "offset",
  ),
  bad(
    "npuQuantConv2d: 3-D input",
    () => qc({}, zeros([1, 4, 4], { dtype: int8 })),
    "npu_quant_conv2d",
    "input",
  ),
  bad(
    "npuQuantConv2d: 3-D weight",
    () => qc({}, x8, zeros([1, 3, 3], { dtype: int8 })),
    "npu_quant_conv2d",
    "weight",
  ),
  bad(
    "npuQuantConv2d: 2-D scale",
    () => qc({}, x8, w8, zeros([1, 1], { dtype: int64 })),
    "npu_quant_conv2d",
    "scale",
  ),
  bad(
    "npuQuantConv2d: input channels differ from weight's",
    () => qc({}, zeros([1, 2, 4, 4], { dtype: int8 })),
    "npu_quant_conv2d",
    "input",
  ),
  bad(
    "npuQuantConv2d: scale length differs from Cout",
    () => qc({}, x8, w8, zeros([2], { dtype: int64 })),
    "npu_quant_conv2d",
    "scale",
  ),
  bad(
    "npuQuantConv2d: float32 input",
    () => qc({}, zeros([1, 1, 4, 4])),
    "npu_quant_conv2d",
    "input",
  ),
  bad(
    "npuQuantConv2d: int32 weight",
    () => qc({}, x8, zeros([1, 1, 3, 3], { dtype: int32 })),
    "npu_quant_conv2d",
    "weight",
  ),
  bad(
    "npuQuantConv2d: float32 scale",
    () => qc({}, x8, w8, zeros([1])),
    "npu_quant_conv2d",
    "scale",
  ),
  bad(
    "npuQuantConv2d: int32 scale",
    () => qc({}, x8, w8, zeros([1], { dtype: int32 })),
    "npu_quant_conv2d",
    "scale",
  ),
  bad(
    "npuQuantConv2d: outputDtype float32",
    () => qc({ outputDtype: float32 }),
    "npu_quant_conv2d",
    "outputDtype",
  ),
  bad(
    "npuQuantConv2d: outputDtype missing",
    () => qc({ outputDtype: undefined }),
    "npu_quant_conv2d",
    "outputDtype",
  ),
  bad(
    "npuQuantConv2d(x8, w8, s64) without options",
    () => npuQuantConv2d(x8, w8, s64, any(undefined)),
    "npu_quant_conv2d",
    "outputDtype",
  ),
  bad(
    "npuQuantConv2d: 2-D bias",
    () => qc({ bias: zeros([1, 1], { dtype: int32 }) }),
    "npu_quant_conv2d",
    "bias",
  ),
  bad(
    "npuQuantConv2d: int64 bias",
    () => qc({ bias: zeros([1], { dtype: int64 }) }),
    "npu_quant_conv2d",
    "bias",
  ),
  bad(
    "npuQuantConv2d: bias of length 2",
    () => qc({ bias: zeros([2], { dtype: int32 }) }),
    "npu_quant_conv2d",
    "bias",
  ),
  bad('npuQuantConv2d: bias "b"', () => qc({ bias: "b" }), "npu_quant_conv2d", "bias"),
  bad("npuQuantConv2d: int32 offset", () => qc({ offset: b32 }), "npu_quant_conv2d", "offset"),
  bad("npuQuantConv2d: strides [1]", () => qc({ strides: [1] }), "npu_quant_conv2d", "strides"),
  bad(
    "npuQuantConv2d: strides [0, 1]",
    () => qc({ strides: [0, 1] }),
    "npu_quant_conv2d",
    "strides",
  ),
  bad("npuQuantConv2d: pads [-1, 0]", () => qc({ pads: [-1, 0] }), "npu_quant_conv2d", "pads"),
  bad("npuQuantConv2d: pads [1.5, 0]", () => qc({ pads: [1.5, 0] }), "npu_quant_conv2d", "pads"),
  bad('npuQuantConv2d: pads "same"', () => qc({ pads: "same" }), "npu_quant_conv2d", "pads"),
  bad(
    "npuQuantConv2d: dilations [0, 1]",
    () => qc({ dilations: [0, 1] }),
    "npu_quant_conv2d",
    "dilations",
  ),
  bad("npuQuantConv2d: groups 2", () => qc({ groups: 2 }), "npu_quant_conv2d", "groups"),
  bad("npuQuantConv2d: offsetX 128", () => qc({ offsetX: 128 }), "npu_quant_conv2d", "offsetX"),
  bad("npuQuantConv2d: offsetX 1.5", () => qc({ offsetX: 1.5 }), "npu_quant_conv2d", "offsetX"),
  bad(
    'npuQuantConv2d: roundMode "floor"',
    () => qc({ roundMode: "floor" }),
    "npu_quant_conv2d",
    "roundMode",
  ),
  bad(
    "npuQuantConv2d: input smaller than the kernel",
    () => qc({}, zeros([1, 1, 2, 2], { dtype: int8 })),
    "npu_quant_conv2d",
    "input",
  ),
  bad("npuQuantConv2d: input as a JS array", () => qc({}, [[[[1]]]]), "npu_quant_conv2d", "input"),
  bad(
    "npuQuantConv2d: weight as a JS array",
    () => qc({}, x8, [[[[1]]]]),
    "npu_quant_conv2d",
    "weight",
  ),
  bad(
    "npuQuantConv2d: scale as a JS array",
    () => qc({}, x8, w8, [1]),
    "npu_quant_conv2d",
    "scale",
  ),
  badOther(
    "npuQuantConv2d: pads [1e9, 1e9]",
    () => qc({ pads: [1e9, 1e9] }),
    OutOfMemoryError,
    /cannot allocate \d+ bytes: the limit is \d+ bytes/,
  ),
];

const modules: BadCall[] = [
  bad(
    "new QuantConv2d(0, 1, 3, float16)",
    () => new QuantConv2d(0, 1, 3, float16),
    "QuantConv2d",
    "inChannels",
  ),
  bad(
    "new QuantConv2d(1.5, 1, 3, float16)",
    () => new QuantConv2d(1.5, 1, 3, float16),
    "QuantConv2d",
    "inChannels",
  ),
  bad(
    'new QuantConv2d("1", 1, 3, float16)',
    () => new QuantConv2d(any("1"), 1, 3, float16),
    "QuantConv2d",
    "inChannels",
  ),
  bad(
    "new QuantConv2d(1, 0, 3, float16)",
    () => new QuantConv2d(1, 0, 3, float16),
    "QuantConv2d",
    "outChannels",
  ),
  bad(
    "new QuantConv2d(1, 1, 0, float16)",
    () => new QuantConv2d(1, 1, 0, float16),
    "QuantConv2d",
    "kernelSize",
  ),
  bad(
    "new QuantConv2d(1, 1, 256, float16)",
    () => new QuantConv2d(1, 1, 256, float16),
    "QuantConv2d",
    "kernelSize",
  ),
  bad(
    "new QuantConv2d(1, 1, [3], float16)",
    () => new QuantConv2d(1, 1, any([3]), float16),
    "QuantConv2d",
    "kernelSize",
  ),
  bad(
    "new QuantConv2d(1, 1, 3, float32)",
    () => new QuantConv2d(1, 1, 3, float32),
    "QuantConv2d",
    "outputDtype",
  ),
  bad(
    "new QuantConv2d(1, 1, 3)",
    () => new QuantConv2d(1, 1, 3, any(undefined)),
    "QuantConv2d",
    "outputDtype",
  ),
  bad(
    "new QuantConv2d(1, 1, 3, float16, { stride: 64 })",
    () => new QuantConv2d(1, 1, 3, float16, { stride: 64 }),
    "QuantConv2d",
    "stride",
  ),
  bad(
    "new QuantConv2d(1, 1, 3, float16, { stride: 0 })",
    () => new QuantConv2d(1, 1, 3, float16, { stride: 0 }),
    "QuantConv2d",
    "stride",
  ),
  bad(
    "new QuantConv2d(1, 1, 3, float16, { padding: 256 })",
    () => new QuantConv2d(1, 1, 3, float16, { padding: 256 }),
    "QuantConv2d",
    "padding",
  ),
  bad(
    "new QuantConv2d(1, 1, 3, float16, { padding: -1 })",
    () => new QuantConv2d(1, 1, 3, float16, { padding: -1 }),
    "QuantConv2d",
    "padding",
  ),
  bad(
    "new QuantConv2d(1, 1, 3, float16, { dilation: 0 })",
    () => new QuantConv2d(1, 1, 3, float16, { dilation: 0 }),
    "QuantConv2d",
    "dilation",
  ),
  bad(
    "new QuantConv2d(1, 1, 3, float16, { groups: 2 })",
    () => new QuantConv2d(1, 1, 3, float16, { groups: 2 }),
    "QuantConv2d",
    "groups",
  ),
  bad(
    "new QuantConv2d(1, 1, 3, float16, { offsetX: 200 })",
    () => new QuantConv2d(1, 1, 3, float16, { offsetX: 200 }),
    "QuantConv2d",
    "offsetX",
  ),
  bad(
    'new QuantConv2d(1, 1, 3, float16, { roundMode: "floor" })',
    () => new QuantConv2d(1, 1, 3, float16, { roundMode: any("floor") }),
    "QuantConv2d",
    "roundMode",
  ),
  bad(
    'new QuantConv2d(1, 1, 3, float16, { device: "npu:9" })',
    () => new QuantConv2d(1, 1, 3, float16, { device: "npu:9" }),
    "device",
    "device",
  ),
  badOther(
    "new QuantConv2d(1e6, 1e6, 3, float16)",
    () => new QuantConv2d(1e6, 1e6, 3, float16),
    OutOfMemoryError,
    /zeros: cannot allocate 9000000000000 bytes: the limit is 4294967296 bytes/,
  ),
  bad(
    "QuantConv2d.forward(float32 input)",
    () => qmodule().forward(zeros([1, 1, 4, 4])),
    "npu_quant_conv2d",
    "input",
  ),
  bad('QuantConv2d.forward("x")', () => qmodule().forward(any("x")), "npu_quant_conv2d", "input"),
  bad("new torch.Conv2d(0, 1, 3)", () => new torch.Conv2d(0, 1, 3), "Conv2d", "inChannels"),
  bad("new torch.Conv2d(1, -1, 3)", () => new torch.Conv2d(1, -1, 3), "Conv2d", "outChannels"),
  bad("new torch.Conv2d(1, 1, 0)", () => new torch.Conv2d(1, 1, 0), "Conv2d", "kernelSize"),
  bad(
    "new torch.Conv2d(1, 1, 3, { stride: 0 })",
    () => new torch.Conv2d(1, 1, 3, { stride: 0 }),
    "Conv2d",
    "stride",
  ),
  bad(
    "new torch.Conv2d(1, 1, 3, { padding: -1 })",
    () => new torch.Conv2d(1, 1, 3, { padding: -1 }),
    "Conv2d",
    "padding",
  ),
  bad(
    "new torch.Conv2d(3, 2, 3, { groups: 2 })",
    () => new torch.Conv2d(3, 2, 3, { groups: 2 }),
    "Conv2d",
    "groups",
  ),
  bad(
    "new torch.Conv2d(2, 2, 3, { groups: 0 })",
    () => new torch.Conv2d(2, 2, 3, { groups: 0 }),
    "Conv2d",
    "groups",
  ),
  bad("new torch.Linear(0, 2)", () => new torch.Linear(0, 2), "Linear", "inFeatures"),
  bad("new torch.Linear(2, -1)", () => new torch.Linear(2, -1), "Linear", "outFeatures"),
  bad("new torch.Linear(2.5, 2)", () => new torch.Linear(2.5, 2), "Linear", "inFeatures"),
  bad("new torch.MaxPool2d(0)", () => new torch.MaxPool2d(0), "MaxPool2d", "kernelSize"),
  bad('new torch.Sequential("x")', () => new torch.Sequential(any("x")), "Sequential", "module 0"),
  bad(
    "new torch.Sequential(new ReLU(), null)",
    () => new torch.Sequential(new torch.ReLU(), any(null)),
    "Sequential",
    "module 1",
  ),
  bad(
    "new torch.Linear(3, 2).forward(zeros([2, 4]))",
    () => new torch.Linear(3, 2).forward(zeros([2, 4])),
    "matmul",
    "other",
  ),
  bad('module.to("int4")', () => qmodule().to("int4"), "to", "target"),
  bad('module.to("npu:9")', () => qmodule().to("npu:9"), "device", "device"),
  bad("module.npu(9)", () => qmodule().npu(9), "device", "device"),
];

const stateDicts: BadCall[] = [
  bad("loadStateDict(null)", () => qmodule().loadStateDict(any(null)), "loadStateDict", "state"),
  bad(
    "loadStateDict(undefined)",
    () => qmodule().loadStateDict(any(undefined)),
    "loadStateDict",
    "state",
  ),
  bad("loadStateDict(5)", () => qmodule().loadStateDict(any(5)), "loadStateDict", "state"),
  bad(
    'loadStateDict("weights.bin")',
    () => qmodule().loadStateDict(any("weights.bin")),
    "loadStateDict",
    "state",
  ),
  bad("loadStateDict([])", () => qmodule().loadStateDict(any([])), "loadStateDict", "state"),
  bad(
    "loadStateDict(a tensor)",
    () => qmodule().loadStateDict(any(zeros([2]))),
    "loadStateDict",
    "state",
  ),
  bad(
    "loadStateDict({}) (missing keys)",
    () => qmodule().loadStateDict({}),
    "loadStateDict",
    "state",
  ),
  bad(
    "loadStateDict with an unexpected key",
    () => {
      const m = qmodule();
      m.loadStateDict({ ...m.stateDict(), extra: t });
    },
    "loadStateDict",
    "state",
  ),
  bad(
    "loadStateDict with a weight of the wrong shape",
    () => {
      const m = qmodule();
      m.loadStateDict({ ...m.stateDict(), weight: zeros([1, 1, 1, 1], { dtype: int8 }) });
    },
    "loadStateDict",
    "weight",
  ),
  bad(
    "loadStateDict with a float32 weight",
    () => {
      const m = qmodule();
      m.loadStateDict({ ...m.stateDict(), weight: zeros([2, 1, 1, 1]) });
    },
    "loadStateDict",
    "weight",
  ),
  bad(
    "loadStateDict with a float16 scale",
    () => {
      const m = qmodule();
      m.loadStateDict({ ...m.stateDict(), scale: zeros([2], { dtype: float16 }) });
    },
    "loadStateDict",
    "scale",
  ),
  bad(
    "loadStateDict with an int64 bias",
    () => {
      const m = qmodule();
      m.loadStateDict({ ...m.stateDict(), bias: zeros([2], { dtype: int64 }) });
    },
    "loadStateDict",
    "bias",
  ),
  bad(
    "loadStateDict with a JS array as bias",
    () => {
      const m = qmodule();
      m.loadStateDict({ ...m.stateDict(), bias: any([0, 0]) });
    },
    "loadStateDict",
    "bias",
  ),
  bad(
    "loadStateDict with a null bias",
    () => {
      const m = qmodule();
      m.loadStateDict({ ...m.stateDict(), bias: any(null) });
    },
    "loadStateDict",
    "bias",
  ),
];

const graphs: BadCall[] = [
  bad("compile(null)", () => compile(any(null)), "compile", "model"),
  bad("compile({})", () => compile(any({})), "compile", "model"),
  bad(
    "compile(cpu model, { backend: npu.backend() })",
    () => compile(qmodule(), { backend: npu.backend() }),
    "compile",
    "model",
  ),
  badOther(
    "compile(npu model, { dynamic: true })",
    () => compile(qmodule().npu(), { dynamic: true }),
    UnsupportedError,
    /static shapes only .*dynamic: true/,
  ),
  bad("compiled(x, x)", () => compile(qmodule())(x8, x8), "compiled model", "inputs"),
  bad("compiled()", () => compile(qmodule())(), "compiled model", "inputs"),
  bad('compiled("x")', () => compile(qmodule())(any("x")), "compiled model", "input 0"),
  bad("compiled([[[[1]]]])", () => compile(qmodule())(any([[[[1]]]])), "compiled model", "input 0"),
  bad(
    "compiled(x on npu) for a cpu model",
    () => compile(qmodule())(x8.npu()),
    "compiled model",
    "input 0",
  ),
  bad(
    "compiled(float32 x)",
    () => compile(qmodule())(zeros([1, 1, 4, 4])),
    "npu_quant_conv2d",
    "input",
  ),
  bad(
    "compiled(x) after a call with another shape, with a bad one",
    () => {
      const run = compile(qmodule());
      run(x8);
      return run(zeros([1, 2, 4, 4], { dtype: int8 }));
    },
    "npu_quant_conv2d",
    "input",
  ),
  bad(
    "Graph.run with 2 inputs for a 1-input graph",
    () =>
      Graph.trace((a) => relu(a), [{ shape: [2], dtype: float32, device: Device.of("cpu") }]).run(
        zeros([2]),
        zeros([2]),
      ),
    "compiled graph",
    "inputs",
  ),
  bad(
    "Graph.run with the wrong shape",
    () =>
      Graph.trace((a) => relu(a), [{ shape: [2], dtype: float32, device: Device.of("cpu") }]).run(
        zeros([3]),
      ),
    "compiled graph",
    "input 0",
  ),
  badOther(
    "reading values inside a traced function",
    () =>
      Graph.trace(
        (a) => tensor([Number(a.item())]),
        [{ shape: [1], dtype: float32, device: Device.of("cpu") }],
      ),
    torch.GraphTraceError,
    /symbolic/,
  ),
];

const wasmLifecycle: { call: string; run: () => Promise<unknown>; argument: string }[] = [
  {
    call: "wasm.ready({ maxMemoryBytes: NaN })",
    run: () => wasm.ready({ maxMemoryBytes: Number.NaN }),
    argument: "maxMemoryBytes",
  },
  {
    call: "wasm.ready({ numThreads: 0 })",
    run: () => wasm.ready({ numThreads: 0 }),
    argument: "numThreads",
  },
  {
    call: "wasm.ready({ numThreads: 1.5 })",
    run: () => wasm.ready({ numThreads: 1.5 }),
    argument: "numThreads",
  },
];

const catalog = {
  creation,
  devices,
  tensorMethods,
  elementwise,
  reductions,
  linearAlgebra,
  convolution,
  quant,
  modules,
  stateDicts,
  graphs,
};

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("the bad-input catalog", () => {
  it("has at least 150 bad calls", () => {
    const count =
      Object.values(catalog).reduce((n, calls) => n + calls.length, 0) + wasmLifecycle.length;
    expect(count).toBeGreaterThanOrEqual(150);
  });

  for (const [group, calls] of Object.entries(catalog)) {
    describe(group, () => {
      it.each(calls)("$call", ({ run, error, op, argument, message }) => {
        const e = thrown(run);
        expect(e, "no error was thrown").toBeInstanceOf(error);
        if (error === ArgumentError) expect(e).toMatchObject({ op, argument });
        if (message) expect((e as Error).message).toMatch(message);
      });
    });
  }

  describe("wasm lifecycle (checked before anything starts)", () => {
    it.each(wasmLifecycle)("$call", async ({ run, argument }) => {
      const e = await run().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(ArgumentError);
      expect(e).toMatchObject({ argument });
    });
  });
});
