// One QuantConv2d of a --shape with random int8 weights, float32 scales and int32 bias: what
// `profile` and `bench` run.
import * as torch from "tsnpu";
import { QuantConv2d } from "tsnpu/contrib";
import type { ConvShape } from "./shape.js";

export function quantModel(s: ConvShape, device: string): QuantConv2d {
  const model = new QuantConv2d(s.cin, s.cout, s.k, torch.float16, {
    stride: s.stride,
    padding: s.pad,
    dilation: s.dilation,
  }).to(device);
  model.weight.data = torch.randint(-128, 128, [s.cout, s.cin, s.k, s.k], {
    dtype: torch.int8,
    device,
  });
  model.scale.data = torch.rand([s.cout]).mul(1e-3).to(device);
  model.bias!.data = torch.randint(-1000, 1000, [s.cout], { dtype: torch.int32, device });
  return model;
}

/** A random int8 input of the shape. */
export const quantInput = (s: ConvShape, device: string): torch.Tensor =>
  torch.randint(-128, 128, [s.n, s.cin, s.h, s.w], { dtype: torch.int8, device });
