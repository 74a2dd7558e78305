// The epilogue's SIMD float32 -> float16 conversion against the golden vectors (every
// halfway point, overflow, subnormals, NaN) and against @tsnpu/tensor on random bit patterns.
import { describe, expect, it } from "vitest";
import { float32ToFloat16Vectors } from "@tsnpu/conformance";
import { float32BitsToFloat16Bits } from "@tsnpu/tensor";
import { WasmRuntime } from "../src/index.js";
import { firstMismatch } from "./helpers.js";

function convert(rt: WasmRuntime, f32Bits: Uint32Array): Uint16Array {
  const src = rt.alloc(f32Bits.byteLength + 16);
  const dst = rt.alloc(f32Bits.length * 2 + 16);
  rt.write(src, f32Bits);
  rt.float32ToFloat16(src, dst, f32Bits.length);
  const out = rt.view(Uint16Array, dst, f32Bits.length).slice();
  rt.free(src);
  rt.free(dst);
  return out;
}

describe("SIMD float32 -> float16", () => {
  it("matches the golden vectors bit for bit (NaN payloads aside, as the spec allows)", async () => {
    const rt = await WasmRuntime.create({ numThreads: 1 });
    const { f32Bits, f16Bits } = float32ToFloat16Vectors();
    expect(firstMismatch(convert(rt, f32Bits), f16Bits)).toBe(-1);
    rt.dispose();
  });

  it("matches float32BitsToFloat16Bits on 1M random patterns (NaN payloads included)", async () => {
    const rt = await WasmRuntime.create({ numThreads: 1 });
    let s = 0x9e3779b9;
    const bits = Uint32Array.from(
      { length: 1 << 20 },
      () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0),
    );
    const got = convert(rt, bits);
    const want = Uint16Array.from(bits, (b) => float32BitsToFloat16Bits(b));
    expect(got).toEqual(want);
    rt.dispose();
  });
});
