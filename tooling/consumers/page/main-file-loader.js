// The esbuild recipe that hands the kernels over explicitly: `--loader:.wasm=file` turns these
// imports (the package exports the .wasm files) into the emitted files' URLs, and ready()
// takes them before page/main.js runs (its own ready() call then returns the same runtime).
import kernels from "@tsnpu/backend-wasm/tsnpu-kernels.wasm";
import kernelsSingleThread from "@tsnpu/backend-wasm/tsnpu-kernels-st.wasm";
import { wasm } from "tsnpu";

await wasm.ready({
  numThreads: 2,
  minParallelMacs: 0,
  wasm: kernels,
  wasmSingleThread: kernelsSingleThread,
});
await import("./main.js");
