// Timing QuantConv2d (compiled, int8 in, float16 out read back) on the real backends, side by
// side: every round runs each contender once, in turn, and the medians are compared.
import * as torch from "tsnpu";
import { quantInput, quantModel } from "../quant-model.js";
import type { ConvShape } from "../shape.js";

export interface Contender {
  readonly name: string;
  /** One call: upload excluded, output read back. */
  readonly call: () => void;
}

/** `threads` is applied before each call, so wasm with 1 and 2 threads share one runtime. */
export function contender(
  name: string,
  s: ConvShape,
  device: "cpu" | "wasm",
  threads = 1,
): Contender {
  const m = quantModel(s, device);
  const compiled = torch.compile(m, { backend: torch.getBackend(device) });
  const x = quantInput(s, device);
  return {
    name,
    call: () => {
      if (device === "wasm") torch.wasm.setNumThreads(threads);
      torch.tidy(() => compiled(x).toTypedArray());
    },
  };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * Median ms per call of each contender over `rounds` interleaved rounds (after one warm-up call);
 * `onRound(r)` after each round (the progress bar).
 */
export function timeSideBySide(
  contenders: readonly Contender[],
  rounds: number,
  onRound: (done: number) => void = () => {},
): number[] {
  const perCall = contenders.map((c) => {
    const t = performance.now();
    c.call(); // warm-up: graph tracing, packed weights
    return performance.now() - t;
  });
  // Enough calls per round that a round of the fastest takes ~20 ms, not timer noise.
  const calls = Math.max(1, Math.min(50, Math.round(20 / Math.max(0.01, Math.min(...perCall)))));
  const times: number[][] = contenders.map(() => []);
  for (let r = 0; r < rounds; r++) {
    contenders.forEach((c, i) => {
      const t = performance.now();
      for (let k = 0; k < calls; k++) c.call();
      times[i]!.push((performance.now() - t) / calls);
    });
    onRound(r + 1);
  }
  return times.map(median);
}
