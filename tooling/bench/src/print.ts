// `pnpm bench print`: the cost of printing a tensor follows what is shown, not its size
// (issue 12 defect 12: arange(1e7).toString() took 4-7 s when every element was copied out).

import { arange } from "@tsnpu/tensor";
import { median } from "./measure.js";

export function runPrintBench(): void {
  console.log("toString() of arange(n): median of 9 calls (ms)");
  console.log("| n | contiguous | transposed view |");
  console.log("| ---: | ---: | ---: |");
  for (const n of [1e3, 1e5, 1e7]) {
    const t = arange(n);
    const view = t.reshape(1000, n / 1000).transpose(0, 1);
    t.toString(); // warm-up
    view.toString();
    const time = (f: () => unknown) =>
      median(
        Array.from({ length: 9 }, () => {
          const start = performance.now();
          f();
          return performance.now() - start;
        }),
      );
    console.log(
      `| ${n.toExponential(0)} | ${time(() => t.toString()).toFixed(3)} | ${time(() => view.toString()).toFixed(3)} |`,
    );
  }
}
