// The JS side and the kernel module agree on every constant of src/abi.ts (plan fields,
// control-block offsets, dtype and op codes), and a module that does not is refused at start-up.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TsnpuError } from "@tsnpu/tensor";
import * as abi from "../src/abi.js";
import { abiMismatches, kernelExports } from "../src/runtime/exports.js";
import { WasmRuntime } from "../src/runtime/index.js";

const MODULES = {
  threaded: "tsnpu-kernels.wasm",
  "single-thread": "tsnpu-kernels-st.wasm",
} as const;

async function instantiate(file: string): Promise<WebAssembly.Exports> {
  const bytes = readFileSync(new URL(`../wasm/${file}`, import.meta.url));
  const shared = file === MODULES.threaded;
  const memory = new WebAssembly.Memory(
    shared ? { initial: 256, maximum: 256, shared: true } : { initial: 256, maximum: 256 },
  );
  const { instance } = await WebAssembly.instantiate(bytes, {
    env: { memory, now: () => performance.now() },
  });
  return instance.exports;
}

const constants = (prefix: string) =>
  Object.entries(abi).filter(([name]) => name.startsWith(prefix));

describe("wasm ABI", () => {
  for (const [kind, file] of Object.entries(MODULES)) {
    it(`the built ${kind} module exports every constant of src/abi.ts with the same value`, async () => {
      const exports = await instantiate(file);
      expect(abiMismatches(exports)).toEqual([]);
    });
  }

  it("refuses a module whose value of one constant differs, naming it", async () => {
    const exports = { ...(await instantiate(MODULES["single-thread"])) };
    exports.C_SPIN_US = new WebAssembly.Global({ value: "i32", mutable: false }, abi.C_SPIN_US + 4);
    expect(() => kernelExports(exports)).toThrow(TsnpuError);
    expect(() => kernelExports(exports)).toThrow(
      `C_SPIN_US is ${abi.C_SPIN_US + 4} in the module, ${abi.C_SPIN_US} here`,
    );
  });

  it("refuses, at start-up, a module built without the ABI globals", async () => {
    const empty = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00); // a valid module with no exports
    await expect(WasmRuntime.create({ numThreads: 1, wasmSingleThread: empty })).rejects.toThrow(
      "it exports none of the ABI constants",
    );
  });

  it("numbers the plan fields 0 .. PLAN_FIELDS-1, each once", () => {
    const indices = constants("P_")
      .map(([, v]) => v)
      .sort((a, b) => a - b);
    expect(indices).toEqual(Array.from({ length: abi.PLAN_FIELDS }, (_, i) => i));
  });

  it("lays the control-block words out without overlap, aligned, before the per-thread ranges", () => {
    const size = (offset: number) => (offset === abi.C_CLAIM ? 8 : 4); // C_CLAIM is the one i64 word
    const words = constants("C_")
      .map(([, v]) => v)
      .filter((o) => o !== abi.C_RANGES)
      .sort((a, b) => a - b);
    words.forEach((o, i) => {
      expect(o % size(o)).toBe(0);
      expect(o + size(o)).toBeLessThanOrEqual(words[i + 1] ?? abi.C_RANGES);
    });
    expect(abi.C_RANGES % 64).toBe(0); // per-thread words start on cache lines
  });

  it("gives distinct codes within each family", () => {
    for (const prefix of ["MODE_", "SEG_", "DTYPE_", "UNARY_", "BINARY_", "REDUCE_"]) {
      const codes = constants(prefix).map(([, v]) => v);
      expect(codes.length).toBeGreaterThan(1);
      expect(new Set(codes).size, prefix).toBe(codes.length);
    }
  });
});
