// Entry of npu_quantize: the property tests' random calls (npu-quantize-suite.ts), each input in
// a random layout, against the cpu.

import { npuQuantize } from "@tsnpu/tensor";
import { sample, type OpEntry } from "../entry.js";
import { randomQuantizeCase } from "../../npu-quantize-suite.js";

const npuQuantizeEntry: OpEntry = {
  op: "npu_quantize",
  samples: (g) =>
    Array.from({ length: 12 }, (_, i) => {
      const { label, call, inputs } = randomQuantizeCase(g, i);
      const { axis, divMode } = call;
      return sample(
        label,
        inputs,
        (x, s, z) => npuQuantize(x!, s!, z ?? null, call.dtype, { axis, divMode }),
        undefined,
        call,
      );
    }),
};

export const quantizeEntries: readonly OpEntry[] = [npuQuantizeEntry];
