export * from "./vectors.js";
export * from "./reference.js";
