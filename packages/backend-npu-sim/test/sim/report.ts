// Prints the modelled profile of shapes A-F on every product and the simulator's wall time.
// Run: node --conditions=source --import <tsx>/dist/loader.mjs test/sim/report.ts
import { decodeQuantScale, type QuantConv2dGeometry } from "@tsnpu/tensor";
import { formatProfileTable, getSoc, oihwToFractalZ, simulateQuantConv2d, socNames, planQuantConv2d, quantConv2dProfile, checkQuantConv2dSupported, type OpProfile } from "../../src/sim/index.js";
import { geometry, randomInt8, rng } from "./helpers.js";

const shapes: Record<string, [number, number, number, number, number, number, number, number]> = {
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

// Modelled numbers.
const rows: string[] = ["shape  " + socNames().map((s) => `${s.padEnd(30)}`).join("")];
const all: OpProfile[] = [];
for (const [name, s] of Object.entries(shapes)) {
  const g = geo(s);
  let line = `${name.padEnd(7)}`;
  for (const sn of socNames()) {
    const soc = getSoc(sn);
    const refusal = checkQuantConv2dSupported(soc, g);
    if (refusal) { line += `refused (${refusal.rule})`.padEnd(30); continue; }
    const plan = planQuantConv2d(soc, g, true);
    const p = quantConv2dProfile(soc, g, plan.split, plan.tiles, plan.parts);
    all.push(p);
    line += `${p.microseconds.toFixed(2)} us ${p.boundBy} ${p.achievedTops.toFixed(1)} TOPS`.padEnd(30);
  }
  rows.push(line);
}
console.log("modelled (op only, launch overhead included): us, bounding unit, achieved int8 TOPS");
console.log(rows.join("\n"));
console.log();
console.log(formatProfileTable(all));
console.log();

// Wall time of the simulator (execution included), best of `reps`.
const soc = getSoc("Ascend910B");
console.log("simulator wall time on Ascend910B (best of 3), vs the bar MACs / 1 GMAC/s (3x of a 3 GMAC/s kernel)");
for (const [name, s] of Object.entries(shapes)) {
  if (name === "F") continue;
  const g = geo(s);
  const r = rng(7);
  const input = randomInt8(r, g.n * g.cin * g.h * g.w);
  const weight = randomInt8(r, g.cout * g.cin * g.kh * g.kw);
  const bias = Int32Array.from({ length: g.cout }, () => Math.floor(r() * 2000) - 1000);
  const scale = BigInt64Array.from({ length: g.cout }, () => BigInt(new Uint32Array(new Float32Array([0.001 + r() * 0.01]).buffer)[0]!) | (1n << 46n));
  void decodeQuantScale;
  const wz = oihwToFractalZ(weight, g.cout, g.cin, g.kh, g.kw);
  const out = new Uint16Array(g.n * g.cout * g.hOut * g.wOut);
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    simulateQuantConv2d(soc, g, input, wz, bias, scale, out);
    best = Math.min(best, performance.now() - t0);
  }
  const macs = g.n * g.hOut * g.wOut * g.cout * g.cin * g.kh * g.kw;
  console.log(`${name}: ${best.toFixed(1)} ms  (${(macs / 1e6).toFixed(1)} MMAC, ${(macs / best / 1e6).toFixed(2)} GMAC/s effective, bar ${(macs / 1e6).toFixed(0)} ms)`);
}
