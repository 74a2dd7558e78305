// The op table: ONNX op type (domain ai.onnx) -> handler.

import { batchNormalization, conv, convTranspose } from "./conv.js";
import { elementwiseOps } from "./elementwise.js";
import { linearOps } from "./linear.js";
import { logicOps } from "./logic.js";
import { pad } from "./pad.js";
import { poolOps } from "./pool.js";
import { reduceOps } from "./reduce.js";
import { resize } from "./resize.js";
import { shapeOps } from "./shape.js";
import type { OpHandler } from "./types.js";

export const opHandlers: Readonly<Record<string, OpHandler>> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  BatchNormalization: batchNormalization,
  Pad: pad,
  Resize: resize,
  ...elementwiseOps,
  ...linearOps,
  ...logicOps,
  ...poolOps,
  ...reduceOps,
  ...shapeOps,
};

export const supportedOps: readonly string[] = Object.keys(opHandlers).sort();

export type { OpHandler } from "./types.js";
