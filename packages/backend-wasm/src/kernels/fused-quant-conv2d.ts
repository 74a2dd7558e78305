// Fused graph steps of int8 networks on wasm: QuantConv2d followed by what a graph does with its
// float16 result, as one step:
//   QuantConv2d [-> add(skip)] [-> relu]            float16 result (BlazeFace's blocks, residuals)
//   QuantConv2d [-> relu | clamp] -> npu_quantize    int8/uint8 result, so int8 flows conv to conv
// A 1x1 or stem-mode conv (WasmRuntime.takesEpilogue) does it in its epilogue, in registers: the
// float16 rounding of the conv stays in the arithmetic, then the add (rounded to float16 as the add
// kernel does), the activation and the quantize lanes run as their own kernels' lanes do, and
// only the final result is stored (assembly/epilogue.ts fusedRow). Bits equal the unfused graph's.
// Other convs take the quantize chains only: the conv writes float16 to a buffer freed at once,
// and one SIMD pass applies the activation and quantizes (assembly/ops/quantize.ts).
// Declines (the nodes then run one by one) what neither path reproduces: a quantize parameter
// that is not a graph constant, int32 results in the epilogue, a broadcast or scaled add, clamp
// before a float16 result.

import {
  Tensor,
  float16,
  int8,
  uint8,
  quantizeRange,
  type BinaryAttrs,
  type ClampAttrs,
  type Fusion,
  type GraphNode,
  type KernelFn,
  type KernelInputs,
  type NpuQuantizeAttrs,
  type QuantConv2dGeometry,
  type QuantizeGeometry,
} from "@tsnpu/tensor";
import {
  ACT_CLAMP,
  ACT_NONE,
  ACT_RELU,
  DTYPE_I8,
  DTYPE_U8,
  E_ACT,
  E_ACT_HI,
  E_ACT_LO,
  E_QCHANNELS,
  E_QDIV,
  E_QHI,
  E_QLO,
  E_QPARAMS,
  E_QUANT,
  E_SKIP,
  E_SKIP_FIRST,
  EPI_WORDS,
} from "../abi.js";
import { currentRuntime } from "../backend.js";
import { wasmFusions } from "../fusions.js";
import { compileQuantConv2d } from "./npu-quant-conv2d.js";
import { quantizeParams, runQuantize, type Activation } from "./npu-quantize.js";
import { addressOf } from "./shared.js";

type Inputs = Record<string, Tensor | null>;

/** The chain split into its links; null when the links are not each other's data inputs. */
interface Chain {
  readonly conv: GraphNode;
  readonly add: GraphNode | null;
  /** The add's operand that is not the conv (read per call as "1.self" or "1.other"). */
  readonly skipName: "self" | "other" | null;
  readonly act: GraphNode | null;
  readonly quantize: GraphNode | null;
}

const dataInput = (n: GraphNode, name: string) => (n.inputs as Inputs)[name] ?? null;

function splitChain(nodes: readonly GraphNode[]): Chain | null {
  const [conv, ...rest] = nodes as [GraphNode, ...GraphNode[]];
  let prev = conv.outputs[0];
  let add: GraphNode | null = null;
  let skipName: Chain["skipName"] = null;
  let act: GraphNode | null = null;
  let quantize: GraphNode | null = null;
  for (const n of rest) {
    const name = n.op.name;
    if (name === "add" && !add && !act && !quantize) {
      const { self, other } = n.inputs as Inputs;
      if (self === other) return null;
      skipName = other === prev ? "self" : self === prev ? "other" : null;
      if (!skipName) return null;
      add = n;
    } else if ((name === "relu" || name === "clamp") && !act && !quantize) {
      if (dataInput(n, "self") !== prev) return null;
      act = n;
    } else if (name === "npu_quantize" && !quantize) {
      if (dataInput(n, "input") !== prev) return null;
      quantize = n;
    } else return null;
    prev = n.outputs[0];
  }
  return { conv, add, skipName, act, quantize };
}

/** The activation node's effect as the lanes apply it. */
function activationOf(n: GraphNode | null): Activation {
  if (!n) return { code: ACT_NONE, lo: 0, hi: 0 };
  if (n.op.name === "relu") return { code: ACT_RELU, lo: 0, hi: 0 };
  const { min, max } = n.attrs as ClampAttrs;
  const lo = min === null ? -Infinity : Math.fround(min);
  const hi = max === null ? Infinity : Math.fround(max);
  return { code: ACT_CLAMP, lo, hi };
}

/** True when the add is the float16 `self + other` of two same-shape float16 tensors. */
function plainHalfAdd(add: GraphNode, skip: Tensor | null): boolean {
  const out = add.outputs[0];
  return (
    skip !== null &&
    (add.attrs as BinaryAttrs).alpha === 1 &&
    out.dtype === float16 &&
    skip.dtype === float16 &&
    skip.shape.length === out.shape.length &&
    skip.shape.every((d, i) => d === out.shape[i])
  );
}

/** How the quantize's parameters index channels in the epilogue (1: one set; Cout: per channel), or 0. */
function epilogueChannels(q: QuantizeGeometry, g: QuantConv2dGeometry): number {
  if (q.perTensor) return 1;
  const perConvChannel = q.outer === g.n && q.channels === g.cout && q.inner === g.hOut * g.wOut;
  return perConvChannel ? g.cout : 0;
}

function prepareChain(nodes: readonly GraphNode[]): KernelFn | null {
  const chain = splitChain(nodes);
  if (!chain) return null;
  const { conv, add, skipName, act, quantize } = chain;
  const last = nodes[nodes.length - 1]!;
  if (act && act.outputs[0].dtype !== float16) return null;
  if (add && !plainHalfAdd(add, dataInput(add, skipName!))) return null;
  const { weight, scale } = conv.inputs as Inputs;
  if (weight!.isSymbolic) return null;
  const qInputs = quantize?.inputs as
    | KernelInputs<readonly ["input", "scales", "zeroPoints?"]>
    | undefined;
  if (qInputs && (qInputs.scales.isSymbolic || qInputs.zeroPoints?.isSymbolic)) return null;
  const g = conv.derived as QuantConv2dGeometry;
  const activation = activationOf(act);
  const [spec] = last.outputs;
  const outDtype = spec.dtype;
  const attrs = quantize?.attrs as NpuQuantizeAttrs | undefined;
  const qg = quantize?.derived as QuantizeGeometry | undefined;
  const channels = qg ? epilogueChannels(qg, g) : 1;
  const inEpilogue =
    currentRuntime().takesEpilogue(g) &&
    (!quantize || ((outDtype === int8 || outDtype === uint8) && channels > 0)) &&
    (quantize || activation.code !== ACT_CLAMP);
  if (!inEpilogue && (!quantize || add)) return null;
  const device = conv.outputs[0].device;
  const compiled = compileQuantConv2d(weight!, scale!, g);
  const params = qInputs
    ? quantizeParams(qInputs.scales, qInputs.zeroPoints, attrs!, device)
    : null;
  const free = () => {
    compiled.dispose();
    params?.dispose();
  };
  if (inEpilogue) {
    const epi = epilogueBlock(activation, skipName, outDtype, params, attrs, channels);
    const skipKey = skipName ? `1.${skipName}` : null;
    const run: KernelFn = (inputs) => {
      const out = Tensor.forOutput(spec.shape, outDtype, device);
      let skip = skipKey ? (inputs[skipKey] as Tensor) : null;
      const copied = skip && !skip.isContiguous() ? skip.contiguous() : null;
      if (copied) skip = copied;
      try {
        epi.setSkip(skip ? addressOf(skip) : 0);
        compiled.run(
          inputs["0.input"] as Tensor,
          inputs["0.scale"] as Tensor,
          (inputs["0.bias"] as Tensor | null | undefined) ?? null,
          out,
          epi.ptr,
        );
      } finally {
        copied?.dispose();
      }
      return [out];
    };
    return Object.assign(run, {
      dispose: () => {
        free();
        epi.dispose();
      },
    });
  }
  // Two passes: float16 conv result, then the activation and quantize in one SIMD pass.
  const convOut = conv.outputs[0];
  const run: KernelFn = (inputs) => {
    const y = Tensor.forOutput(convOut.shape, convOut.dtype, device);
    try {
      compiled.run(
        inputs["0.input"] as Tensor,
        inputs["0.scale"] as Tensor,
        (inputs["0.bias"] as Tensor | null | undefined) ?? null,
        y,
        0,
      );
      const out = Tensor.forOutput(spec.shape, outDtype, device);
      runQuantize(y, params!, out, qg!, attrs!.divMode, activation);
      return [out];
    } finally {
      y.dispose();
    }
  };
  return Object.assign(run, { dispose: free });
}

/** The E_* words of src/abi.ts in wasm memory, written once; the skip pointer per call. */
export function epilogueBlock(
  act: Activation,
  skipName: Chain["skipName"],
  outDtype: Tensor["dtype"],
  params: Tensor | null,
  attrs: NpuQuantizeAttrs | undefined,
  channels: number,
) {
  const runtime = currentRuntime();
  const ptr = runtime.alloc(EPI_WORDS * 4);
  const words = runtime.view(Int32Array, ptr, EPI_WORDS);
  words.fill(0);
  words[E_SKIP_FIRST] = skipName === "self" ? 1 : 0;
  words[E_ACT] = act.code;
  const bounds = new Float32Array([act.lo, act.hi]);
  const boundBits = new Int32Array(bounds.buffer);
  words[E_ACT_LO] = boundBits[0]!;
  words[E_ACT_HI] = boundBits[1]!;
  if (params) {
    const [lo, hi] = quantizeRange(outDtype);
    words[E_QUANT] = outDtype === int8 ? DTYPE_I8 : DTYPE_U8;
    words[E_QPARAMS] = addressOf(params);
    words[E_QCHANNELS] = channels;
    words[E_QDIV] = attrs!.divMode ? 1 : 0;
    words[E_QLO] = lo;
    words[E_QHI] = hi;
  }
  return {
    ptr,
    setSkip: (p: number) => {
      runtime.view(Int32Array, ptr + E_SKIP * 4, 1)[0] = p;
    },
    dispose: () => runtime.free(ptr),
  };
}

const chain = (name: string, ops: string[]): Fusion => ({ name, ops, prepare: prepareChain });

wasmFusions.push(
  chain("quant_conv2d+relu+quantize", ["npu_quant_conv2d", "relu", "npu_quantize"]),
  chain("quant_conv2d+clamp+quantize", ["npu_quant_conv2d", "clamp", "npu_quantize"]),
  chain("quant_conv2d+quantize", ["npu_quant_conv2d", "npu_quantize"]),
  chain("quant_conv2d+add+relu", ["npu_quant_conv2d", "add", "relu"]),
  chain("quant_conv2d+add", ["npu_quant_conv2d", "add"]),
  chain("quant_conv2d+relu", ["npu_quant_conv2d", "relu"]),
);
