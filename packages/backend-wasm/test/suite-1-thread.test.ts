// The shared conformance suite on the "wasm" device with 1 thread(s). Each thread count runs
// in its own test file, hence its own process-wide runtime.
import "../src/register.js";
import "@tsnpu/backend-cpu";
import { describeConformance } from "@tsnpu/conformance";
import { ready } from "../src/backend.js";

describeConformance({
  device: "wasm",
  label: "1 thread(s)",
  setup: async () => {
    const rt = await ready({ numThreads: 1, minParallelMacs: 0 });
    if (rt.numThreads !== 1)
      throw new Error(`wanted 1 thread(s), got ${rt.numThreads}: ${rt.singleThreadReason}`);
  },
  propertyCases: 80,
});
