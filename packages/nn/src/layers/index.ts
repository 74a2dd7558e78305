export * from "./sequential.js";
export * from "./activation.js";
export * from "./conv.js";
export * from "./batchnorm.js";
export * from "./pool.js";
export * from "./linear.js";
