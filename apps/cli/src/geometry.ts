// A --shape as the geometry QuantConv2d's meta function derives for it: the op's own
// validation, run on empty tensors of the shape, so a shape the op rejects (kernel larger than
// the padded input, ...) is reported as the command-line mistake it is.
import * as torch from "tsnpu";
import { UsageError } from "./cli/errors.js";
import type { ConvShape } from "./shape.js";

export function shapeGeometry(s: ConvShape): torch.QuantConv2dGeometry {
  try {
    return torch.tidy(() => {
      const input = torch.empty([s.n, s.cin, s.h, s.w], { dtype: torch.int8 });
      const weight = torch.empty([s.cout, s.cin, s.k, s.k], { dtype: torch.int8 });
      const scale = torch.empty([s.cout], { dtype: torch.int64 });
      return torch.npuQuantConv2dOp.meta(
        { input, weight, scale, bias: null, offset: null },
        {
          strides: [s.stride, s.stride],
          pads: [s.pad, s.pad],
          dilations: [s.dilation, s.dilation],
          groups: 1,
          offsetX: 0,
          roundMode: "rint",
          outputDtype: torch.float16,
        },
      ).derived;
    });
  } catch (e) {
    if (e instanceof torch.ArgumentError) throw new UsageError(`--shape: ${e.message}`);
    throw e;
  }
}
