// The suite's parts that need no test runner (golden vector loaders, case runners, bit
// comparisons), for tools that run the vectors themselves: the tsnpu CLI's `verify`.
export * from "./vectors.js";
export * from "./bits.js";
export * from "./case-runners.js";
