export * from "./vectors.js";
export * from "./reference.js";
export * from "./bits.js";
export * from "./random-cases.js";
export * from "./suite.js";
