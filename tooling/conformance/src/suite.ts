// The one conformance suite every backend runs from its own tests:
//   describeConformance({ device: "wasm" })
// It reads the golden vectors of tooling/conformance/vectors and checks, bit for bit:
//   - every quant_conv2d case through QuantConv2d (scale set as int64 words and as float32),
//     through the functional op, and through compile() (graph mode);
//   - float16 conversions both ways, done on the device;
//   - npu_trans_quant_param;
//   - seeded property tests against the spec-literal reference (cpu) or the cpu backend (others),
//     with contiguous and strided inputs;
//   - the op table (op-table/): every op the backend registers against the cpu backend.
// A backend may skip a case only with a written reason, or declare that it must refuse it.

import { beforeAll, describe, expect, it } from "vitest";
import {
  type Tensor,
  float16,
  float32,
  getBackend,
  int32,
  int64,
  int8,
  npuQuantConv2d,
  npuTransQuantParam,
  tensor,
  type QuantConv2dGeometry,
} from "@tsnpu/tensor";
import { QuantConv2d, compile } from "@tsnpu/nn";
import {
  caseGeometry,
  float16ToFloat32Vectors,
  float32ToFloat16Vectors,
  quantConv2dCases,
  transQuantParamCases,
} from "./vectors.js";
import { referenceQuantConv2d } from "./reference.js";
import { describeMismatch } from "./bits.js";
import { randomQuantProblem, seededRandom, type RandomQuantProblem } from "./random-cases.js";
import { describeOpTable } from "./op-table/describe-op-table.js";
import { describeNpuQuantize, type NpuQuantizeCall } from "./npu-quantize-suite.js";
import { buildModule, fromTyped, runFunctional } from "./case-runners.js";

export interface ConformanceOptions {
  /** The device under test: "cpu", "wasm", "npu:0", ... */
  readonly device: string;
  /** Shown in test names (e.g. "2 threads", "Ascend310P"). */
  readonly label?: string;
  /** Runs once before the suite (e.g. await a backend's ready()). */
  readonly setup?: () => unknown;
  /** Case name -> the written reason it is skipped on this backend. */
  readonly skip?: Readonly<Record<string, string>>;
  /** The error this backend must throw for a geometry it refuses (a product's limits), or null. */
  readonly refuses?: (g: QuantConv2dGeometry) => RegExp | null;
  /** How this backend's bits differ from the golden ones (e.g. 310P saturates float16). */
  readonly adjustExpected?: (bits: Uint16Array) => Uint16Array;
  /** Ops of the op table (besides npu_quant_conv2d) whose float16 results `adjustExpected` applies to. */
  readonly adjustsOp?: (op: string) => boolean;
  /** Number of random problems (default 60). */
  readonly propertyCases?: number;
  /** The error this backend must throw for an npu_quantize call it refuses (a product's rules), or null. */
  readonly refusesQuantize?: (c: NpuQuantizeCall) => RegExp | null;
}

function expectBits(out: Tensor, expected: Uint16Array, shape: readonly number[]): void {
  expect(out.dtype).toBe(float16);
  expect([...out.shape]).toEqual([...shape]);
  expect(describeMismatch(out.cpu().toTypedArray() as Uint16Array, expected)).toBeNull();
}

export function describeConformance(options: ConformanceOptions): void {
  const { device } = options;
  const title = `conformance on ${device}${options.label ? ` (${options.label})` : ""}`;
  describe(title, () => {
    beforeAll(async () => {
      await options.setup?.();
    });

    describe("quant_conv2d golden vectors", () => {
      for (const c of quantConv2dCases()) {
        const reason = options.skip?.[c.name];
        if (reason) {
          it.skip(`${c.name} — skipped: ${reason}`, () => {});
          continue;
        }
        const refusal = options.refuses?.(caseGeometry(c));
        if (refusal) {
          it(`${c.name} is refused`, () => {
            expect(() =>
              buildModule(c, c.scaleGivenAs, device).forward(
                fromTyped(c.input.data, c.input.shape, int8, device),
              ),
            ).toThrow(refusal);
            expect(() => runFunctional(c, device)).toThrow(refusal);
          });
          continue;
        }
        const expected = () => options.adjustExpected?.(c.expected.bits) ?? c.expected.bits;
        for (const scaleAs of ["int64", "float32"] as const) {
          it(`${c.name}: QuantConv2d with ${scaleAs} scale${scaleAs === c.scaleGivenAs ? " (as given)" : ""}`, () => {
            const out = buildModule(c, scaleAs, device).forward(
              fromTyped(c.input.data, c.input.shape, int8, device),
            );
            expectBits(out, expected(), c.expected.shape);
          });
        }
        it(`${c.name}: npuQuantConv2d`, () => {
          expectBits(runFunctional(c, device), expected(), c.expected.shape);
        });
        it(`${c.name}: compile() graph mode, two calls`, () => {
          const model = compile(buildModule(c, c.scaleGivenAs, device), {
            backend: getBackend(device.split(":")[0]!),
            dynamic: false,
          });
          const x = fromTyped(c.input.data, c.input.shape, int8, device);
          expectBits(model(x), expected(), c.expected.shape);
          expectBits(model(x), expected(), c.expected.shape);
          expect(model.graphs.size).toBe(1);
        });
      }
    });

    describe("float16 conversions on the device", () => {
      it("float32 -> float16, round to nearest even (every vector)", () => {
        const v = float32ToFloat16Vectors();
        const f32 = new Float32Array(v.f32Bits.buffer.slice(0));
        const out = tensor(f32).to(device).to(float16).cpu().toTypedArray() as Uint16Array;
        // A product in float16 saturation mode (310P) saturates casts too.
        const adjust = options.adjustsOp?.("cast") ? options.adjustExpected : undefined;
        expect(describeMismatch(out, adjust?.(v.f16Bits) ?? v.f16Bits)).toBeNull();
      });
      it("float16 -> float32, exact (all 65536 patterns)", () => {
        const v = float16ToFloat32Vectors();
        const out = tensor(v.f16Bits, { dtype: float16 })
          .to(device)
          .to(float32)
          .cpu()
          .toTypedArray() as Float32Array;
        const bits = new Uint32Array(out.buffer, out.byteOffset, out.length);
        const nan = (b: number) => (b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0;
        const bad = [...bits].findIndex(
          (b, i) => b !== v.f32Bits[i] && !(nan(b) && nan(v.f32Bits[i]!)),
        );
        expect(bad).toBe(-1);
      });
    });

    describe("npu_trans_quant_param", () => {
      // Issue 12 defect 1: the scale's bits are masked (docs/semantics/quant-conv2d.md section 4), so a
      // signalling NaN whose payload sits in the low 13 bits becomes an infinity, not a quiet NaN.
      it("masks the float32 bits: signalling NaNs are not quieted", () => {
        const bits = Uint32Array.of(0x7f800001, 0xff800001, 0x7f801fff, 0x7fa00000);
        const out = npuTransQuantParam(tensor(new Float32Array(bits.buffer)).to(device));
        expect([...(out.cpu().toTypedArray() as BigInt64Array)]).toEqual([
          0x40007f800000n,
          0x4000ff800000n,
          0x40007f800000n,
          0x40007fa00000n,
        ]);
      });
      it("a QuantConv2d whose float32 scale is the signalling NaN 0x7f800001 gives +inf, eager and compiled", () => {
        const m = new QuantConv2d(1, 1, [1, 1], float16, { bias: false }).to(device);
        m.weight.data = tensor([[[[1]]]], { dtype: int8 }).to(device);
        m.scale.data = tensor(new Float32Array(Uint32Array.of(0x7f800001).buffer)).to(device);
        const x = tensor([[[[2, 3]]]], { dtype: int8 }).to(device);
        const inf = Uint16Array.of(0x7c00, 0x7c00);
        const want = [...(options.adjustExpected?.(inf) ?? inf)];
        for (const y of [m.forward(x), compile(m)(x)])
          expect([...(y.cpu().toTypedArray() as Uint16Array)]).toEqual(want);
      });
      transQuantParamCases().forEach((c, i) => {
        it(`case ${i} (${c.scale.length} scales${c.offset ? ", with offsets" : ""})`, () => {
          const out = npuTransQuantParam(
            tensor(c.scale).to(device),
            c.offset ? tensor(c.offset).to(device) : null,
          );
          expect(out.dtype).toBe(int64);
          expect([...(out.cpu().toTypedArray() as BigInt64Array)]).toEqual([...c.expected]);
        });
      });
    });

    describe("property tests against the reference", () => {
      const count = options.propertyCases ?? 60;
      const problems: RandomQuantProblem[] = [];
      const random = seededRandom(20261127);
      for (let i = 0; i < count; i++) problems.push(randomQuantProblem(random));
      problems.forEach((p, i) => {
        const { g } = p;
        const strided = i % 3 === 1;
        it(`#${i}: N${g.n} C${g.cin} ${g.h}x${g.w} -> ${g.cout}, k${g.kh}x${g.kw} s${g.strideH},${g.strideW} p${g.padH},${g.padW} d${g.dilationH},${g.dilationW} x0=${g.offsetX}${p.bias ? "" : " no-bias"}${strided ? " strided input" : ""}`, () => {
          const run = (dev: string) => {
            let input = fromTyped(p.input, [g.n, g.cin, g.h, g.w], int8, dev);
            if (strided) {
              // The same values seen through a non-contiguous view (NHWC storage, permuted back).
              input = input.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
            }
            return npuQuantConv2d(
              input,
              fromTyped(p.weight, [g.cout, g.cin, g.kh, g.kw], int8, dev),
              fromTyped(p.scale, [g.cout], int64, dev),
              {
                strides: [g.strideH, g.strideW],
                pads: [g.padH, g.padW],
                dilations: [g.dilationH, g.dilationW],
                offsetX: g.offsetX,
                outputDtype: float16,
                bias: p.bias ? fromTyped(p.bias, [g.cout], int32, dev) : null,
              },
            );
          };
          const reference =
            device === "cpu"
              ? referenceQuantConv2d(g, p.input, p.weight, p.bias, p.scale)
              : (run("cpu").toTypedArray() as Uint16Array);
          const refusal = options.refuses?.(g);
          if (refusal) {
            expect(() => run(device)).toThrow(refusal);
            return;
          }
          expectBits(run(device), options.adjustExpected?.(reference) ?? reference, [
            g.n,
            g.cout,
            g.hOut,
            g.wOut,
          ]);
        });
      });
    });

    describeNpuQuantize(options);
    describeOpTable(options);
  });
}
