// Fused 1x1 QuantConv2d steps computed in the conv's epilogue (src/kernels/fused-quant-conv2d.ts,
// assembly/epilogue.ts fusedRow), and the same for stem-mode convs (Cin <= 4, stride 2, k x k,
// padded): every chain the wasm backend fuses, on random shapes (batch > 1,
// pixel counts off the group of 8, channel counts off the tile of 4), with and without bias,
// every offset_x, scales that overflow float16, land in its subnormals or are NaN, per-tensor and
// per-channel quantize to int8 and uint8 in both div modes. The fused graph must give the bits
// of the same graph run node by node on wasm and of the cpu, on 1 and 2 threads.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "@tsnpu/backend-cpu";
import "../src/register.js";
import { seededRandom } from "@tsnpu/conformance";
import {
  Graph,
  clamp,
  float16,
  float32,
  float32Bits,
  int32,
  int64,
  int8,
  npuQuantConv2d,
  npuQuantize,
  relu,
  tensor,
  toFloat16Bits,
  uint8,
  type Tensor,
} from "@tsnpu/tensor";
import { currentRuntime, ready, shutdown } from "../src/backend.js";
import { MODE_STEM, layoutQuantConv2d } from "../src/runtime/index.js";
import { geometry } from "./helpers.js";

beforeAll(async () => {
  shutdown();
  await ready({ numThreads: 2, minParallelMacs: 0 });
});
afterAll(() => shutdown());

type ChainKind =
  | "add+relu"
  | "skip-first add+relu"
  | "add"
  | "relu"
  | "relu+quantize"
  | "clamp+quantize"
  | "quantize";

const OPS: Record<ChainKind, string[]> = {
  "add+relu": ["npu_quant_conv2d", "add", "relu"],
  "skip-first add+relu": ["npu_quant_conv2d", "add", "relu"],
  add: ["npu_quant_conv2d", "add"],
  relu: ["npu_quant_conv2d", "relu"],
  "relu+quantize": ["npu_quant_conv2d", "relu", "npu_quantize"],
  "clamp+quantize": ["npu_quant_conv2d", "clamp", "npu_quantize"],
  quantize: ["npu_quant_conv2d", "npu_quantize"],
};

interface Case {
  readonly kind: ChainKind;
  readonly shape: [number, number, number, number];
  readonly cout: number;
  readonly conv: ConvShape;
  readonly input: Int8Array;
  readonly weight: Int8Array;
  readonly words: BigInt64Array;
  readonly bias: Int32Array | null;
  readonly offsetX: number;
  readonly skip: Uint16Array;
  readonly qScales: Float32Array;
  readonly qZeros: Int8Array | Uint8Array | Float32Array | null;
  readonly qDtype: typeof int8 | typeof uint8;
  readonly divMode: boolean;
}

/** Square kernel side, stride and padding of the conv. */
interface ConvShape {
  readonly k: number;
  readonly stride: number;
  readonly pad: number;
}
const POINTWISE: ConvShape = { k: 1, stride: 1, pad: 0 };

/** The conv's output shape. */
function outShape(c: Pick<Case, "shape" | "cout" | "conv">): [number, number, number, number] {
  const { k, stride, pad } = c.conv;
  const side = (x: number) => Math.floor((x + 2 * pad - k) / stride) + 1;
  return [c.shape[0], c.cout, side(c.shape[2]), side(c.shape[3])];
}

function makeCase(r: () => number, i: number, conv = POINTWISE, cinMax = 40): Case {
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const kinds = Object.keys(OPS) as ChainKind[];
  const kind = kinds[i % kinds.length]!;
  const shape: [number, number, number, number] = [
    int(1, 3),
    int(1, cinMax),
    int(conv.k, 12),
    int(conv.k, 13),
  ];
  const [n, cin, h, w] = shape;
  const cout = int(1, 30);
  const scaleKind = i % 4; // normal, overflow, subnormal, one NaN channel
  const scales = Float32Array.from({ length: cout }, () =>
    scaleKind === 1 ? 10 * r() : scaleKind === 2 ? 1e-9 * r() : 2 ** -int(6, 12) * (1 + r()),
  );
  const bitsOf = new Uint32Array(scales.buffer);
  if (scaleKind === 3) bitsOf[0] = 0x7fc00000;
  const words = BigInt64Array.from(bitsOf, (b) => BigInt((b & 0xffffe000) >>> 0) | (1n << 46n));
  // Skip values: ordinary float16s, plus zeros, -0, infinities and a NaN now and then.
  const outLen = outShape({ shape, cout, conv }).reduce((a, b) => a * b, 1);
  const skip = Uint16Array.from({ length: outLen }, () => {
    const u = r();
    if (u < 0.04) return [0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0xfe01, 0x7d00][int(0, 6)]!;
    return (int(0, 1) << 15) | (int(0x2000, 0x5000) & 0x7fff);
  });
  const divMode = i % 5 !== 4;
  const perChannel = divMode && i % 3 === 0; // div_mode false quantizes along the last axis

  const qDtype = divMode && i % 2 === 0 ? uint8 : int8;
  const qScales = Float32Array.from({ length: perChannel ? cout : 1 }, () => 0.01 + r() * 0.3);
  const qZeros = !divMode
    ? Float32Array.from(qScales, () => int(-5, 5))
    : i % 7 === 6
      ? null
      : qDtype === uint8
        ? Uint8Array.from(qScales, () => int(0, 255))
        : Int8Array.from(qScales, () => int(-128, 127));
  return {
    kind,
    shape,
    cout,
    conv,
    input: Int8Array.from({ length: n * cin * h * w }, () => int(-128, 127)),
    weight: Int8Array.from({ length: cout * cin * conv.k * conv.k }, () => int(-128, 127)),
    words,
    bias: i % 3 === 1 ? null : Int32Array.from({ length: cout }, () => int(-3000, 3000)),
    offsetX: [-128, 127, 0, int(-128, 127)][i % 4]!,
    skip,
    qScales,
    qZeros,
    qDtype,
    divMode,
  };
}

function chainFn(c: Case, device: string) {
  const on = (t: Tensor) => t.to(device);
  const { k, stride, pad } = c.conv;
  const weight = on(tensor(c.weight, { dtype: int8 }).reshape([c.cout, c.shape[1], k, k]));
  const scale = on(tensor(c.words, { dtype: int64 }));
  const bias = c.bias ? on(tensor(c.bias, { dtype: int32 })) : undefined;
  const qScales = on(tensor(c.qScales, { dtype: float32 }));
  const qZeros = c.qZeros
    ? on(
        tensor(c.qZeros, {
          dtype:
            c.qZeros instanceof Float32Array
              ? float32
              : c.qZeros instanceof Uint8Array
                ? uint8
                : int8,
        }),
      )
    : null;
  const quantize = (y: Tensor) =>
    npuQuantize(y, qScales, qZeros, c.divMode ? c.qDtype : int8, { divMode: c.divMode });
  return (x: Tensor, skip: Tensor) => {
    const y = npuQuantConv2d(x, weight, scale, {
      outputDtype: float16,
      bias,
      offsetX: c.offsetX,
      strides: [stride, stride],
      pads: [pad, pad],
    });
    switch (c.kind) {
      case "add+relu":
        return relu(y.add(skip));
      case "skip-first add+relu":
        return relu(skip.add(y));
      case "add":
        return y.add(skip);
      case "relu":
        return relu(y);
      case "relu+quantize":
        return quantize(relu(y));
      case "clamp+quantize":
        return quantize(clamp(y, -2.5, 40.25));
      default:
        return quantize(y);
    }
  };
}

const bitsOf = (t: Tensor) => [...(t.cpu().toTypedArray() as Uint16Array | Int8Array | Uint8Array)];

const r = seededRandom(1202);
const cases = Array.from({ length: 42 }, (_, i) => makeCase(r, i));

for (const threads of [1, 2]) {
  describe(`fused 1x1 QuantConv2d epilogues, ${threads} thread(s)`, () => {
    beforeAll(() => currentRuntime().setThreadsPerCall(threads));
    cases.forEach((c, i) => {
      it(`#${i} ${c.kind}: N${c.shape[0]} C${c.shape[1]} ${c.shape[2]}x${c.shape[3]} -> ${c.cout}`, () => {
        checkCase(c);
      });
    });
  });
}

// Stem-mode convs (assembly/stem.ts: Cin <= 4, stride 2) take the same epilogue block.
const stemCases = Array.from({ length: 28 }, (_, i) =>
  makeCase(r, i, { k: [1, 3, 5][i % 3]!, stride: 2, pad: (i >> 1) % 3 }, 4),
);
for (const threads of [1, 2]) {
  describe(`fused stem-mode QuantConv2d epilogues, ${threads} thread(s)`, () => {
    beforeAll(() => currentRuntime().setThreadsPerCall(threads));
    it("land on the stem mode", () => {
      for (const c of stemCases) {
        const [n, cin, h, w] = c.shape;
        const { k, stride, pad } = c.conv;
        const g = geometry(
          [n, cin, h, w],
          [c.cout, cin, k, k],
          [stride, stride],
          [pad, pad],
          [1, 1],
          0,
        );
        expect(layoutQuantConv2d(g, threads).fields[0]).toBe(MODE_STEM);
      }
    });
    stemCases.forEach((c, i) => {
      it(`#${i} ${c.kind}: N${c.shape[0]} C${c.shape[1]} ${c.shape[2]}x${c.shape[3]} k${c.conv.k} pad ${c.conv.pad} -> ${c.cout}`, () => {
        checkCase(c);
      });
    });
  });
}

/** The fused graph gives the bits of the node-by-node run on wasm and of the cpu. */
function checkCase(c: Case): void {
  const inputs = (device: string) => [
    tensor(c.input, { dtype: int8 }).reshape(c.shape).to(device),
    tensor(c.skip, { dtype: float16 }).reshape(outShape(c)).to(device),
  ];
  const fn = chainFn(c, "wasm");
  const [x, skip] = inputs("wasm");
  const graph = Graph.trace(fn, [x!, skip!]);
  expect(graph.fused.map((f) => f.ops)).toEqual([OPS[c.kind]]);
  const fused = bitsOf(graph.run(x!, skip!) as Tensor);
  expect(bitsOf(graph.run(x!, skip!) as Tensor)).toEqual(fused); // a replay gives the same
  expect(fused).toEqual(bitsOf(fn(x!, skip!))); // eager: node by node
  const [xc, skipc] = inputs("cpu");
  expect(fused).toEqual(bitsOf(chainFn(c, "cpu")(xc!, skipc!)));
  graph.dispose();
}

/**
 * Cases whose every rounding is a float16 tie: the conv's results are odd multiples of 2^-11
 * in [1, 2) (scale 2^-11, |acc + bias| odd in [2048, 4096)), and the skips odd multiples of
 * 2^-11 below 0.1, so most sums are ties too. A rounding that is not half-to-even (in the
 * conv's float16 result or in the add's) changes bits here. Whole rows of 8 pixels, so the
 * fast epilogue (assembly/epilogue.ts fastHalfQuad) does most of them. With a `conv` (stem
 * mode: Cin <= 4, stride 2), output rows of 8 or 16 pixels and weights in [-2, 2] (|acc| <= 400).
 */
function tieCase(
  r: () => number,
  i: number,
  big?: readonly [number, number, number],
  conv = POINTWISE,
): Case {
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const kinds: ChainKind[] = ["add+relu", "skip-first add+relu", "add", "relu", "relu+quantize"];
  const pointwise = conv === POINTWISE;
  const base = pointwise ? makeCase(r, i) : makeCase(r, i, conv, 4);
  const { k, pad } = conv;
  const shape: [number, number, number, number] = big
    ? [1, big[0], big[2], big[2]]
    : pointwise
      ? [int(1, 2), [1, 3, 5, 24, 33][i % 5]!, int(2, 9), 8 * int(1, 3)]
      : [int(1, 2), int(1, 4), int(k, 9), 2 * (8 * int(1, 2) - 1) + k - 2 * pad];
  const [n, cin, h, w] = shape;
  const cout = big ? big[1] : [1, 3, 7, 24, 29][int(0, 4)]!;
  const half = float32Bits(2 ** -11);
  const sign = () => (r() < 0.5 ? -1 : 1);
  return {
    ...base,
    kind: kinds[i % kinds.length]!,
    shape,
    cout,
    // Even inputs (and padding) and small weights keep acc even and |acc| <= 528.
    input: Int8Array.from({ length: n * cin * h * w }, () => 2 * int(-1, 1)),
    offsetX: 2 * int(-1, 1),
    weight: Int8Array.from({ length: cout * cin * k * k }, () =>
      pointwise ? int(-8, 8) : int(-2, 2),
    ),
    words: BigInt64Array.from({ length: cout }, () => BigInt(half) | (1n << 46n)),
    bias: Int32Array.from({ length: cout }, () => sign() * (2 * int(1288, 1783) + 1)),
    skip: Uint16Array.from(
      { length: outShape({ shape, cout, conv }).reduce((a, b) => a * b, 1) },
      () => toFloat16Bits(sign() * (2 * int(0, 99) + 1) * 2 ** -11),
    ),
  };
}

for (const threads of [1, 2]) {
  describe(`fused 1x1 QuantConv2d epilogues on float16 ties, ${threads} thread(s)`, () => {
    beforeAll(() => currentRuntime().setThreadsPerCall(threads));
    const rt = seededRandom(1616);
    // BlazeFace's shapes (Cin, Cout, side): several pixel blocks and chunks, Cin != Cout.
    const blaze = [
      [24, 24, 40],
      [24, 28, 32],
      [48, 48, 24],
      [96, 96, 16],
    ] as const;
    const tieCases = [
      ...Array.from({ length: 20 }, (_, i) => tieCase(rt, i)),
      ...blaze.map((b, i) => tieCase(rt, i, b)),
      // Stem mode: 3x3 and 5x5, stride 2, pads 0..2.
      ...Array.from({ length: 15 }, (_, i) =>
        tieCase(rt, i, undefined, { k: 3 + 2 * (i % 2), stride: 2, pad: i % 3 }),
      ),
    ];
    tieCases.forEach((c, i) => {
      it(`#${i} ${c.kind}: N${c.shape[0]} C${c.shape[1]} ${c.shape[2]}x${c.shape[3]} -> ${c.cout}`, () => {
        checkCase(c);
      });
    });
  });
}

describe("fused 1x1 QuantConv2d epilogues", () => {
  it("read a strided skip (a view made in the graph)", () => {
    const c = { ...makeCase(seededRandom(3), 0), kind: "add+relu" as const };
    const [n, , h, w] = c.shape;
    const fn = chainFn(c, "wasm");
    const viaNhwc = (x: Tensor, nhwc: Tensor) => fn(x, nhwc.permute([0, 3, 1, 2]));
    const x = tensor(c.input, { dtype: int8 }).reshape(c.shape).to("wasm");
    const nhwc = tensor(c.skip, { dtype: float16 })
      .reshape([n, c.cout, h, w])
      .permute([0, 2, 3, 1])
      .contiguous()
      .to("wasm");
    const graph = Graph.trace(viaNhwc, [x, nhwc]);
    expect(graph.fused.map((f) => f.ops)).toEqual([OPS["add+relu"]]);
    expect(bitsOf(graph.run(x, nhwc) as Tensor)).toEqual(bitsOf(viaNhwc(x, nhwc)));
    graph.dispose();
  });
});

/**
 * Cases for the tile-at-a-time fast end (assembly/epilogue.ts fastHalfQuad): ordinary values
 * with rare single lanes outside its range, so most register tiles take the fast end and a few
 * fall back to finishRow: NaN, infinite, subnormal, zero and +-65504 skips, sums that cancel to
 * exactly 0 (skip = -conv), pixels whose conv is exactly 0 (all-zero input, no bias). Channel
 * counts 1..100 (odd included), pixel counts mostly not multiples of 8.
 */
function sparseCase(r: () => number, i: number): Case {
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const kinds: ChainKind[] = [
    "add+relu",
    "skip-first add+relu",
    "add",
    "relu",
    "relu+quantize",
    "quantize",
  ];
  const base = makeCase(r, i);
  let shape: [number, number, number, number];
  let cout: number;
  do {
    shape = [int(1, 2), int(1, 100), int(1, 20), int(1, 24)];
    cout = int(1, 100);
  } while (shape[0] * shape[1] * shape[2] * shape[3] * cout > 3e6);
  const [n, cin, h, w] = shape;
  const hw = h * w;
  const zeroPixel = Array.from({ length: n * hw }, () => r() < 0.02);
  const input = Int8Array.from({ length: n * cin * hw }, (_, k) => {
    const b = Math.floor(k / (cin * hw));
    return zeroPixel[b * hw + (k % hw)] ? 0 : int(-128, 127);
  });
  const scales = Float32Array.from({ length: cout }, () => 2 ** -int(10, 14) * (1 + r()));
  const words = BigInt64Array.from(
    new Uint32Array(scales.buffer),
    (b) => BigInt((b & 0xffffe000) >>> 0) | (1n << 46n),
  );
  const c: Case = {
    ...base,
    kind: kinds[i % kinds.length]!,
    shape,
    cout,
    input,
    weight: Int8Array.from({ length: cout * cin }, () => int(-128, 127)),
    words,
    bias: i % 2 ? null : Int32Array.from({ length: cout }, () => int(-3000, 3000)),
    skip: new Uint16Array(n * cout * hw),
  };
  // The conv's float16 result on the cpu, for skips that cancel it.
  const x = tensor(input, { dtype: int8 }).reshape(shape);
  const weight = tensor(c.weight, { dtype: int8 }).reshape([cout, cin, 1, 1]);
  const bias = c.bias ? tensor(c.bias, { dtype: int32 }) : undefined;
  const conv = bitsOf(
    npuQuantConv2d(x, weight, tensor(words, { dtype: int64 }), {
      outputDtype: float16,
      bias,
      offsetX: c.offsetX,
    }),
  );
  const specials = [0x7c00, 0xfc00, 0x7e00, 0xfe01, 0x0001, 0x8003, 0x03ff, 0x7bff, 0xfbff, 0x8000];
  c.skip.forEach((_, k) => {
    const u = r();
    c.skip[k] =
      u < 0.004
        ? specials[int(0, specials.length - 1)]!
        : u < 0.008
          ? conv[k]! ^ 0x8000
          : u < 0.2
            ? 0
            : (int(0, 1) << 15) | int(0x1800, 0x4c00);
  });
  return c;
}

for (const threads of [1, 2]) {
  describe(`fused 1x1 QuantConv2d epilogues, rare lanes off the fast end, ${threads} thread(s)`, () => {
    beforeAll(() => currentRuntime().setThreadsPerCall(threads));
    const rs = seededRandom(1617);
    const sparse = Array.from({ length: 36 }, (_, i) => sparseCase(rs, i));
    sparse.forEach((c, i) => {
      it(`#${i} ${c.kind}: N${c.shape[0]} C${c.shape[1]} ${c.shape[2]}x${c.shape[3]} -> ${c.cout}`, () => {
        checkCase(c);
      });
    });
  });
}
