// Each golden vector as checks on one target, bit for bit: quant_conv2d through the module (scale
// as the case gives it), the functional op and compile() (or the product's refusal), float16
// conversions on the device, npu_trans_quant_param. The vectors and the case runners are the
// conformance suite's own (@tsnpu/conformance/standalone), bundled into the CLI.
import {
  buildModule,
  caseGeometry,
  describeMismatch,
  float16ToFloat32Vectors,
  float32ToFloat16Vectors,
  fromRaw,
  fromTyped,
  type NpuQuantizeCase,
  npuQuantizeCaseCall,
  npuQuantizeCases,
  type QuantConv2dCase,
  quantConv2dCases,
  runFunctional,
  transQuantParamCases,
} from "@tsnpu/conformance/standalone";
import * as torch from "tsnpu";
import type { Target } from "./targets.js";

export interface CheckResult {
  readonly name: string;
  /** null when it passed, else what differed. */
  readonly failure: string | null;
  /** The product refused the case, as it must. */
  readonly refused: boolean;
}

export interface VectorGroup {
  readonly name: string;
  readonly checks: (t: Target) => CheckResult[];
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Runs `fn`; a throw is a failure (its message), a returned string too. */
function attempt(name: string, fn: () => string | null): CheckResult {
  try {
    return { name, failure: fn(), refused: false };
  } catch (e) {
    return { name, failure: `threw ${message(e)}`, refused: false };
  }
}

function compareBits(out: torch.Tensor, expected: Uint16Array, shape: readonly number[]) {
  if (out.dtype !== torch.float16) return `dtype ${out.dtype.name}, want float16`;
  if (out.shape.join(",") !== shape.join(","))
    return `shape [${out.shape.join(", ")}], want [${shape.join(", ")}]`;
  return describeMismatch(out.cpu().toTypedArray() as Uint16Array, expected);
}

function quantConv2dPaths(c: QuantConv2dCase, device: string): [string, () => torch.Tensor][] {
  const input = () => fromTyped(c.input.data, c.input.shape, torch.int8, device);
  return [
    ["QuantConv2d", () => buildModule(c, c.scaleGivenAs, device).forward(input())],
    ["npuQuantConv2d", () => runFunctional(c, device)],
    [
      "compile()",
      () =>
        torch.compile(buildModule(c, c.scaleGivenAs, device), {
          backend: torch.getBackend(device.split(":")[0]!),
          dynamic: false,
        })(input()),
    ],
  ];
}

/** A path the product must refuse: passed when it throws the product's UnsupportedError with `refusal`. */
function refusedCheck(name: string, refusal: string, run: () => unknown): CheckResult {
  try {
    torch.tidy(() => void run());
    return { name, failure: `ran, but the product must refuse it: ${refusal}`, refused: false };
  } catch (e) {
    const ok = e instanceof torch.UnsupportedError && message(e).includes(refusal);
    return { name, failure: ok ? null : `threw ${message(e)}, want ${refusal}`, refused: ok };
  }
}

function quantConv2dChecks(t: Target): CheckResult[] {
  return quantConv2dCases().flatMap((c) => {
    const refusal = t.refusal(caseGeometry(c));
    return quantConv2dPaths(c, t.device).map(([path, run]) => {
      const name = `${c.name} ${path}`;
      if (refusal !== null) return refusedCheck(name, refusal, run);
      return attempt(name, () =>
        torch.tidy(() => compareBits(run(), t.adjustExpected(c.expected.bits), c.expected.shape)),
      );
    });
  });
}

/** The first element where two integer outputs differ, or null. */
export function describeIntMismatch(got: ArrayLike<number>, want: ArrayLike<number>) {
  if (got.length !== want.length) return `${got.length} elements, want ${want.length}`;
  for (let i = 0; i < got.length; i++)
    if (got[i] !== want[i]) return `first at ${i}: got ${got[i]}, expected ${want[i]}`;
  return null;
}

function compareInts(out: torch.Tensor, c: NpuQuantizeCase): string | null {
  if (out.dtype.name !== c.dtype) return `dtype ${out.dtype.name}, want ${c.dtype}`;
  if (out.shape.join(",") !== c.expected.shape.join(","))
    return `shape [${out.shape.join(", ")}], want [${c.expected.shape.join(", ")}]`;
  const want = fromRaw(c.expected, "cpu").toTypedArray() as Int32Array;
  return describeIntMismatch(out.cpu().toTypedArray() as Int32Array, want);
}

/** Each npu_quantize case eagerly and as a traced graph (or the product's refusal of both). */
function npuQuantizeChecks(t: Target): CheckResult[] {
  return npuQuantizeCases().flatMap((c) => {
    const refusal = t.quantizeRefusal(c);
    const paths: [string, () => torch.Tensor][] = [
      [
        "eager",
        () =>
          torch.tidy(() => {
            const { input, run } = npuQuantizeCaseCall(c, t.device);
            return run(input);
          }),
      ],
      [
        "graph",
        () =>
          torch.tidy(() => {
            const { input, run } = npuQuantizeCaseCall(c, t.device);
            const graph = torch.Graph.trace(run, [input]);
            try {
              return graph.run(input) as torch.Tensor;
            } finally {
              graph.dispose();
            }
          }),
      ],
    ];
    return paths.map(([path, run]) => {
      const name = `${c.name} ${path}`;
      if (refusal !== null) return refusedCheck(name, refusal, run);
      return attempt(name, () => torch.tidy(() => compareInts(run(), c)));
    });
  });
}

function float32ToFloat16Check(t: Target): CheckResult[] {
  const v = float32ToFloat16Vectors();
  return [
    attempt(`${v.f16Bits.length} values`, () => {
      const f32 = new Float32Array(v.f32Bits.buffer.slice(0));
      const out = torch.tensor(f32).to(t.device).to(torch.float16).cpu().toTypedArray();
      return describeMismatch(out as Uint16Array, t.adjustCast(v.f16Bits));
    }),
  ];
}

function float16ToFloat32Check(t: Target): CheckResult[] {
  const v = float16ToFloat32Vectors();
  const nan = (b: number) => (b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0;
  return [
    attempt("all 65536 patterns", () => {
      const out = torch
        .tensor(v.f16Bits, { dtype: torch.float16 })
        .to(t.device)
        .to(torch.float32)
        .cpu()
        .toTypedArray() as Float32Array;
      const bits = new Uint32Array(out.buffer, out.byteOffset, out.length);
      const bad = bits.findIndex((b, i) => b !== v.f32Bits[i] && !(nan(b) && nan(v.f32Bits[i]!)));
      return bad < 0
        ? null
        : `pattern 0x${v.f16Bits[bad]!.toString(16)}: got 0x${bits[bad]!.toString(16)}, want 0x${v.f32Bits[bad]!.toString(16)}`;
    }),
  ];
}

function transQuantParamChecks(t: Target): CheckResult[] {
  return transQuantParamCases().map((c, i) =>
    attempt(`case ${i}`, () => {
      const out = torch.npuTransQuantParam(
        torch.tensor(c.scale).to(t.device),
        c.offset ? torch.tensor(c.offset).to(t.device) : null,
      );
      const got = [...(out.cpu().toTypedArray() as BigInt64Array)];
      const bad = got.findIndex((w, j) => w !== c.expected[j]);
      return got.length !== c.expected.length
        ? `${got.length} words, want ${c.expected.length}`
        : bad < 0
          ? null
          : `word ${bad}: got 0x${got[bad]!.toString(16)}, want 0x${c.expected[bad]!.toString(16)}`;
    }),
  );
}

export const vectorGroups: readonly VectorGroup[] = [
  { name: "quant_conv2d", checks: quantConv2dChecks },
  { name: "npu_quantize", checks: npuQuantizeChecks },
  { name: "trans_quant_param", checks: transQuantParamChecks },
  { name: "f32->f16", checks: float32ToFloat16Check },
  { name: "f16->f32", checks: float16ToFloat32Check },
];
