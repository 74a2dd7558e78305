// The benchmark shapes of the issues (N, Cin, H, W, Cout, k, stride, pad) and their inputs.

import * as torch from "tsnpu";
import { QuantConv2d } from "tsnpu/contrib";
import { seededRandom } from "@tsnpu/conformance";

export interface ConvShape {
  readonly label: string;
  readonly n: number;
  readonly cin: number;
  readonly h: number;
  readonly w: number;
  readonly cout: number;
  readonly k: number;
  readonly stride: number;
  readonly pad: number;
}

export const SHAPES: readonly ConvShape[] = [
  { label: "A", n: 1, cin: 64, h: 56, w: 56, cout: 64, k: 3, stride: 1, pad: 1 },
  { label: "B", n: 1, cin: 3, h: 224, w: 224, cout: 64, k: 7, stride: 2, pad: 3 },
  { label: "C", n: 1, cin: 256, h: 14, w: 14, cout: 256, k: 3, stride: 1, pad: 1 },
  { label: "D", n: 1, cin: 512, h: 7, w: 7, cout: 512, k: 1, stride: 1, pad: 0 },
  { label: "E", n: 8, cin: 32, h: 32, w: 32, cout: 32, k: 3, stride: 1, pad: 1 },
  { label: "F", n: 1, cin: 1, h: 64, w: 64, cout: 1, k: 3, stride: 1, pad: 0 },
];

export const shapeText = (s: ConvShape) =>
  [s.n, s.cin, s.h, s.w, s.cout, s.k, s.stride, s.pad].join(",");

export function outputSize(s: ConvShape): [number, number] {
  const out = (x: number) => torch.convOutputSize(x, s.k, s.stride, s.pad);
  return [out(s.h), out(s.w)];
}

export function macsOf(s: ConvShape): number {
  const [ho, wo] = outputSize(s);
  return s.n * s.cout * ho * wo * s.cin * s.k * s.k;
}

/** A QuantConv2d with random int8 weights, int32 bias and small float32 scales, and an input. */
export function quantProblem(s: ConvShape, device: string) {
  const model = new QuantConv2d(s.cin, s.cout, s.k, torch.float16, {
    stride: s.stride,
    padding: s.pad,
  }).to(device);
  model.weight.data = torch.randint(-128, 128, [s.cout, s.cin, s.k, s.k], {
    dtype: torch.int8,
    device,
  });
  model.scale.data = torch.npuTransQuantParam(torch.rand([s.cout]).mul(1e-4).add(1e-4)).to(device);
  model.bias!.data = torch.randint(-1000, 1001, [s.cout], { dtype: torch.int32, device });
  const input = torch.randint(-128, 128, [s.n, s.cin, s.h, s.w], { dtype: torch.int8, device });
  return { model, input };
}

/** Seeded raw data for shape `s`: int8 input and weights, int32 bias, small float32 scales. */
export function seededProblem(s: ConvShape) {
  const r = seededRandom(s.label.charCodeAt(0));
  const int8 = (len: number) => Int8Array.from({ length: len }, () => Math.floor(r() * 256) - 128);
  const input = int8(s.n * s.cin * s.h * s.w);
  const weight = int8(s.cout * s.cin * s.k * s.k);
  const bias = Int32Array.from({ length: s.cout }, () => Math.floor(r() * 2001) - 1000);
  // Masked like the op reads them (spec section 3 step 4).
  const scale = new Float32Array(s.cout);
  const bits = new Uint32Array(scale.buffer);
  for (let i = 0; i < s.cout; i++) {
    scale[i] = (1 + r()) * 1e-4;
    bits[i] = (bits[i]! & 0xffffe000) >>> 0;
  }
  return { input, weight, bias, scale };
}
