// Prints, for shapes A-F, the modelled profile on every product, and the simulator's wall time
// on A-E next to the cpu backend's kernel (when that package is importable).
// Run from packages/backend-npu-sim:
//   node --conditions=source --import <tsx>/dist/loader.mjs test/sim/report.ts [--full]
import { decodeQuantScales, type QuantConv2dGeometry } from "@tsnpu/tensor";
import {
  checkQuantConv2dSupported,
  formatProfileTable,
  getSoc,
  oihwToFractalZ,
  planQuantConv2d,
  quantConv2dProfile,
  simulateQuantConv2d,
  socNames,
  type OpProfile,
} from "../../src/sim/index.js";
import { geometry, randomInt8, rng } from "./helpers.js";

// N, Cin, H, W, Cout, k, stride, pad
const shapes: Record<string, number[]> = {
  A: [1, 64, 56, 56, 64, 3, 1, 1],
  B: [1, 3, 224, 224, 64, 7, 2, 3],
  C: [1, 256, 14, 14, 256, 3, 1, 1],
  D: [1, 512, 7, 7, 512, 1, 1, 0],
  E: [8, 32, 32, 32, 32, 3, 1, 1],
  F: [1, 1, 64, 64, 1, 3, 1, 0],
};
const geo = (s: number[]): QuantConv2dGeometry => {
  const [n, c, h, w, co, k, st, p] = s as [number, number, number, number, number, number, number, number];
  return geometry(n, c, h, w, co, k, k, st, st, p, p);
};

const all: OpProfile[] = [];
const cell = (p: OpProfile) => `${p.microseconds.toFixed(2)} us ${p.boundBy.padEnd(7)} ${p.achievedTops.toFixed(2).padStart(6)} TOPS`;
console.log("Modelled QuantConv2d (launch overhead included): us, bounding unit, achieved int8 TOPS");
console.log(["shape", ...socNames()].map((s, i) => (i === 0 ? s.padEnd(6) : s.padEnd(32))).join(""));
for (const [name, s] of Object.entries(shapes)) {
  const g = geo(s);
  let line = name.padEnd(6);
  for (const sn of socNames()) {
    const soc = getSoc(sn);
    const refusal = checkQuantConv2dSupported(soc, g);
    if (refusal) {
      line += `refused (${refusal.rule})`.padEnd(32);
      continue;
    }
    const plan = planQuantConv2d(soc, g, true);
    const p = quantConv2dProfile(soc, g, plan.split, plan.tiles, plan.parts);
    all.push(p);
    line += cell(p).padEnd(32);
  }
  console.log(line);
}
if (process.argv.includes("--full")) {
  console.log();
  console.log(formatProfileTable(all));
}

// Wall time, best of 5 after a warm-up.
type CpuKernel = (g: QuantConv2dGeometry, input: Int8Array, packed: unknown, bias: Int32Array | null, scale: Float32Array, out: Uint16Array) => void;
let cpu: { pack: (g: QuantConv2dGeometry, w: Int8Array) => unknown; run: CpuKernel } | null = null;
try {
  const m = await import("../../../backend-cpu/src/impl/quant-conv2d.js");
  cpu = { pack: m.packQuantConv2dWeights, run: m.quantConv2dPacked as CpuKernel };
} catch {
  cpu = null;
}
const best = (f: () => void, reps = 5) => {
  f();
  let t = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    t = Math.min(t, performance.now() - t0);
  }
  return t;
};
console.log();
console.log("Wall time, Ascend910B simulation (plan + TransData + execution) vs the cpu backend kernel (packed weights), best of 5");
console.log("shape   MMAC   npu-sim ms  GMAC/s   cpu ms  GMAC/s   ratio");
const soc = getSoc("Ascend910B");
for (const [name, s] of Object.entries(shapes)) {
  if (name === "F") continue;
  const g = geo(s);
  const r = rng(7);
  const input = randomInt8(r, g.n * g.cin * g.h * g.w);
  const weight = randomInt8(r, g.cout * g.cin * g.kh * g.kw);
  const bias = Int32Array.from({ length: g.cout }, () => Math.floor(r() * 2000) - 1000);
  const scale = BigInt64Array.from({ length: g.cout }, () => BigInt(0x3a000000 + Math.floor(r() * 0x800000)) | (1n << 46n));
  const wz = oihwToFractalZ(weight, g.cout, g.cin, g.kh, g.kw);
  const out = new Uint16Array(g.n * g.cout * g.hOut * g.wOut);
  const macs = g.n * g.hOut * g.wOut * g.cout * g.cin * g.kh * g.kw;
  const tSim = best(() => simulateQuantConv2d(soc, g, input, wz, bias, scale, out));
  let cpuText = "     n/a     n/a     n/a";
  if (cpu) {
    const packed = cpu.pack(g, weight);
    const out2 = new Uint16Array(out.length);
    const f32 = decodeQuantScales(scale);
    const tCpu = best(() => cpu!.run(g, input, packed, bias, f32, out2));
    const same = out2.every((v, i) => v === out[i]);
    cpuText = `${tCpu.toFixed(1).padStart(8)}  ${(macs / tCpu / 1e6).toFixed(2).padStart(6)}  ${(tSim / tCpu).toFixed(2).padStart(6)}x${same ? "" : "  (outputs differ!)"}`;
  }
  console.log(`${name.padEnd(5)} ${(macs / 1e6).toFixed(1).padStart(6)}  ${tSim.toFixed(1).padStart(10)}  ${(macs / tSim / 1e6).toFixed(2).padStart(6)}  ${cpuText}`);
}
