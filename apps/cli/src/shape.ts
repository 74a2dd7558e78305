// Parsing a QuantConv2d problem from the command line: N,Cin,H,W,Cout,k[,stride[,pad[,dilation]]].
import { UsageError } from "./cli/errors.js";

export interface ConvShape {
  readonly n: number;
  readonly cin: number;
  readonly h: number;
  readonly w: number;
  readonly cout: number;
  readonly k: number;
  readonly stride: number;
  readonly pad: number;
  readonly dilation: number;
}

export const SHAPE_FORMAT = "N,Cin,H,W,Cout,k[,stride[,pad[,dilation]]]";

export function parseShape(text: string): ConvShape {
  const parts = text.split(",").map((s) => (s.trim() === "" ? Number.NaN : Number(s.trim())));
  if (parts.length < 6 || parts.length > 9 || parts.some((v) => !Number.isInteger(v) || v < 0)) {
    throw new UsageError(
      `--shape must be ${SHAPE_FORMAT} (non-negative integers), got "${text}"`,
      "e.g. --shape 1,64,56,56,64,3,1,1",
    );
  }
  const [n, cin, h, w, cout, k, stride = 1, pad = 0, dilation = 1] = parts as number[];
  return { n: n!, cin: cin!, h: h!, w: w!, cout: cout!, k: k!, stride, pad, dilation };
}

/** The --shape option of a command that needs one. */
export function requiredShape(option: string | boolean | undefined): ConvShape {
  if (typeof option !== "string")
    throw new UsageError(
      "--shape is required",
      `e.g. --shape 1,64,56,56,64,3,1,1 (${SHAPE_FORMAT}), or give a <model.onnx>`,
    );
  return parseShape(option);
}

/** A tensor shape given on the command line: positive integers separated by commas. */
export function parseDims(text: string, option: string): number[] {
  const dims = text.split(",").map((s) => (s.trim() === "" ? Number.NaN : Number(s.trim())));
  if (dims.some((d) => !Number.isInteger(d) || d <= 0))
    throw new UsageError(`${option} must be positive integers separated by commas, got "${text}"`);
  return dims;
}

/** What profile and check work on: a --shape or a <model.onnx>, exactly one of them. */
export function shapeOrModel(
  shape: string | boolean | undefined,
  model: string | undefined,
): { shape: ConvShape } | { model: string } {
  if (model !== undefined && shape !== undefined)
    throw new UsageError("give either --shape or <model.onnx>, not both");
  if (model !== undefined) return { model };
  return { shape: requiredShape(shape) };
}
