import * as torch from "tsnpu";
import { quantProblem, SHAPES } from "./shapes.js";
await torch.wasm.ready({ numThreads: Number(process.argv[2] ?? 1) });
const { model, input } = quantProblem(SHAPES[0]!, "wasm");
const f = torch.compile(model);
for (let i = 0; i < 300; i++) f(input).dispose();
const T = (globalThis as any).__T; T.fill(0);
let call = 0, disp = 0; const N = 500;
for (let i = 0; i < N; i++) { const t0 = performance.now(); const y = f(input); const t1 = performance.now(); y.dispose(); disp += performance.now() - t1; call += t1 - t0; }
const us = (x: number) => (x / N * 1000).toFixed(1);
console.log(`call ${us(call)} = geometry+prepared ${us(T[0])}, contiguous+scales ${us(T[1])}, empty ${us(T[2])}, runtime.quantConv2d ${us(T[3])}, rest ${us(call - T[0] - T[1] - T[2] - T[3])}; dispose ${us(disp)}`);
process.exit(0);
