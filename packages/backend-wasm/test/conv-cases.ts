// Random conv2d calls for the wasm conv tests (conv2d.test.ts, conv-quantize.test.ts).
import type { Conv2dOptions, Conv2dPadding, Tensor, float32 } from "@tsnpu/tensor";
import { int, pick, randomTensor, sparseValues, type Rnd } from "./ops-helpers.js";

export interface Case {
  label: string;
  x: Tensor;
  w: Tensor;
  b: Tensor | null;
  options: Conv2dOptions;
}

/** A random conv2d call: shapes large enough for the 8- and 4-column SIMD paths and the borders. */
export function randomCase(rnd: Rnd, dtype: typeof float32): Case {
  const kind = pick(rnd, ["dense", "grouped", "depthwise", "pointwise"] as const);
  const groups = kind === "depthwise" ? int(rnd, 1, 9) : kind === "grouped" ? int(rnd, 2, 3) : 1;
  const cin = kind === "depthwise" ? groups : groups * int(rnd, 1, 5);
  const cout = kind === "depthwise" ? groups * pick(rnd, [1, 1, 2]) : groups * int(rnd, 1, 9);
  const k = kind === "pointwise" ? [1, 1] : [int(rnd, 1, 5), int(rnd, 1, 5)];
  const dilation: [number, number] = [pick(rnd, [1, 1, 2]), pick(rnd, [1, 1, 2])];
  const stride: [number, number] = [pick(rnd, [1, 1, 2, 3]), pick(rnd, [1, 1, 2, 3])];
  const same = stride[0] === 1 && stride[1] === 1 && rnd() < 0.3;
  const padding: Conv2dPadding = same ? "same" : [int(rnd, 0, k[0]! - 1), int(rnd, 0, k[1]! - 1)];
  const extent = (i: number) => dilation[i]! * (k[i]! - 1) + 1;
  const wide = rnd() < 0.3; // rows long enough for the widest blocks (32 columns) and a tail
  const [h, w] = [
    int(rnd, extent(0), extent(0) + (wide ? 6 : 20)),
    int(rnd, extent(1), extent(1) + (wide ? 80 : 24)),
  ];
  const gen = sparseValues(pick(rnd, [0, 0, 0.01, 0.1]));
  const shape = [int(rnd, 1, 2), cin, h, w];
  // Sometimes a view with gaps between rows, channels and images (the kernel reads it in place).
  const x =
    rnd() < 0.3
      ? randomTensor(rnd, dtype, [shape[0]! + 1, cin + 2, h + 3, w + 2], gen)
          .narrow(0, 1, shape[0]!)
          .narrow(1, 1, cin)
          .narrow(2, 2, h)
          .narrow(3, 1, w)
      : randomTensor(rnd, dtype, shape, gen);
  const wt = randomTensor(rnd, dtype, [cout, cin / groups, k[0]!, k[1]!], gen);
  const b = rnd() < 0.7 ? randomTensor(rnd, dtype, [cout], gen) : null;
  const options = { stride, padding, dilation, groups };
  return {
    label: `${kind} x ${x.shape} w ${wt.shape} ${JSON.stringify(options)} bias ${!!b}`,
    x,
    w: wt,
    b,
    options,
  };
}

/**
 * A depthwise conv on a small plane (1..20 pixels a side) with many channels (1..100): a chunk
 * then computes several channels (src/runtime/float-conv.ts), through every row path (pairs of
 * rows, short rows, stride 2, padded taps masked when `specials` are drawn).
 */
export function depthwiseCase(rnd: Rnd, dtype: typeof float32, specials = true): Case {
  const c = pick(rnd, [int(rnd, 1, 100), int(rnd, 16, 100), 96]);
  const k = pick(rnd, [3, 5]);
  const stride = pick(rnd, [1, 1, 2]);
  const padding = pick(rnd, [k >> 1, k >> 1, int(rnd, 0, k - 1)]);
  const [h, w] = [int(rnd, 1, 20), int(rnd, 1, 20)].map((v) => Math.max(v, k - 2 * padding));
  const gen = sparseValues(specials ? pick(rnd, [0, 0, 0, 0.01]) : 0);
  const x = randomTensor(rnd, dtype, [int(rnd, 1, 2), c, h!, w!], gen);
  const wt = randomTensor(rnd, dtype, [c, 1, k, k], gen);
  const b = rnd() < 0.5 ? randomTensor(rnd, dtype, [c], gen) : null;
  const options = { stride, padding, groups: c };
  return {
    label: `depthwise x ${x.shape} w ${wt.shape} ${JSON.stringify(options)} bias ${!!b}`,
    x,
    w: wt,
    b,
    options,
  };
}
