export * from "./vectors.js";
export * from "./reference.js";
export * from "./bits.js";
export * from "./random-cases.js";
export * from "./case-runners.js";
export * from "./suite.js";
export * from "./op-table/describe-op-table.js";
export { opTable } from "./op-table/table.js";
export { sample, type OpEntry, type Sample } from "./op-table/entry.js";
export {
  F16_SPECIALS,
  F32_SPECIALS,
  SampleGen,
  type Layout,
  type TensorInput,
} from "./op-table/inputs.js";
