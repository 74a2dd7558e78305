// The npu-sim core: an Ascend AI Core simulated over typed arrays for QuantConv2d (formats,
// per-product limits, tiling, execution, cycle model). See docs/semantics/npu-sim.md.
export * from "./soc.js";
export * from "./layouts.js";
export * from "./limits.js";
export * from "./plan.js";
export * from "./cycles.js";
export * from "./profile.js";
export * from "./profile-format.js";
export * from "./tiler.js";
export * from "./execute.js";
export * from "./trace.js";
export * from "./cube.js";
export * from "./vector.js";
export * from "./vector-profile.js";
