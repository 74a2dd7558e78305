export * from "./numerics/float16.js";
export * from "./numerics/quant.js";
