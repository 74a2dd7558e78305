// What a product refuses, with the real op's reasons (docs/semantics/npu-sim.md section 4), checked in the
// spec's order so that a shape breaking two rules always reports the same one. Groups, round_mode
// and the output dtype are validated earlier by the shared meta function; dynamic shapes by graph
// mode (see dynamicShapeRefusal).

import type { Conv2dGeometry, QuantConv2dGeometry } from "@tsnpu/tensor";
import type { SocSpec } from "./soc.js";
import { C0_INT8 } from "./layouts.js";

export type RefusalRule =
  | "load3d-field-range"
  | "load3d-k-extension"
  | "l1-min-footprint"
  | "w-out-1"
  | "zero-sized"
  | "dynamic-shape";

export interface Refusal {
  readonly rule: RefusalRule;
  readonly message: string;
}

const refuse = (soc: SocSpec, rule: RefusalRule, what: string, op = "QuantConv2d"): Refusal => ({
  rule,
  message: `${op} on ${soc.name} (${soc.family}): ${what} [rule: ${rule}]`,
});

/** The smallest K tile Load3D can be given: one C1 block of 32 channels (kAL1 = 1). */
export const MIN_KAL1 = 1;

/** Rows of output a minimal L1 tile covers: `floor(16 / Wo) + 2` [doc, public conv kernel]. */
export function minL1Rows(wOut: number): number {
  return Math.floor(16 / wOut) + 2;
}

/** Bytes of input the smallest tile needs in L1: `((rows-1)*sh + (kh-1)*dh + 1) * W_in * 32`. */
export function minL1FootprintBytes(g: QuantConv2dGeometry): number {
  const rows = minL1Rows(g.wOut);
  return ((rows - 1) * g.strideH + (g.kh - 1) * g.dilationH + 1) * g.w * C0_INT8;
}

/** null when `soc` runs the shape; otherwise the first rule it breaks, in spec order. */
export function checkQuantConv2dSupported(soc: SocSpec, g: QuantConv2dGeometry): Refusal | null {
  // 1. Load3D field range: the instruction's stride/dilation/pad/kernel fields are this wide [doc].
  const fields: [string, number, number, number][] = [
    ["stride", g.strideH, g.strideW, soc.load3dMaxStride.value],
    ["dilation", g.dilationH, g.dilationW, soc.load3dMaxDilation.value],
    ["padding", g.padH, g.padW, soc.load3dMaxPad.value],
    ["kernel", g.kh, g.kw, soc.load3dMaxKernel.value],
  ];
  for (const [name, a, b, max] of fields) {
    if (a > max || b > max) {
      return refuse(
        soc,
        "load3d-field-range",
        `shape not supported by the load unit (Load3D field range): ${name} [${a}, ${b}] exceeds ${max}`,
      );
    }
  }
  // 2. A2/A3: one Load3D covers at most 65535 K elements, even for the smallest K tile [doc].
  const maxK = soc.load3dMaxKExtension.value;
  if (maxK !== null) {
    const kExt = MIN_KAL1 * C0_INT8 * g.kh * g.kw;
    if (kExt > maxK) {
      return refuse(
        soc,
        "load3d-k-extension",
        `shape not supported by the load unit (Load3D K extension): kAL1*32*kh*kw = ${MIN_KAL1}*32*${g.kh}*${g.kw} = ${kExt} exceeds ${maxK}`,
      );
    }
  }
  // 3. The smallest tile's input rows must fit in L1 [doc, public conv kernel]. Needs Wo > 0;
  //    an empty output is reported by the zero-size rule below.
  if (g.wOut > 0) {
    const need = minL1FootprintBytes(g);
    if (need > soc.l1Bytes.value) {
      return refuse(
        soc,
        "l1-min-footprint",
        `the minimal input tile does not fit in L1: ((rows-1)*sh + (kh-1)*dh + 1) * W_in * 32 = ${need} bytes ` +
          `(rows = floor(16/Wo)+2 = ${minL1Rows(g.wOut)}, W_in = ${g.w}) > L1 ${soc.l1Bytes.value} bytes`,
      );
    }
  }
  // 4. The Atlas inference series has no kernel for an output one column wide [doc, seed page].
  if (soc.name === "Ascend310P" && g.wOut === 1) {
    // The seed's own wording names the product, so no generic prefix here.
    return {
      rule: "w-out-1",
      message:
        `QuantConv2d: not supported on the Atlas inference series (Ascend310P): output W must not be 1 ` +
        `(output shape [${g.n}, ${g.cout}, ${g.hOut}, ${g.wOut}]) [rule: w-out-1]`,
    };
  }
  // 5. Zero-sized tensors: the op has no empty-tensor path.
  const dims: [string, number][] = [
    ["input N", g.n],
    ["input C", g.cin],
    ["input H", g.h],
    ["input W", g.w],
    ["weight Cout", g.cout],
    ["output H", g.hOut],
    ["output W", g.wOut],
  ];
  for (const [name, v] of dims) {
    if (v <= 0)
      return refuse(soc, "zero-sized", `zero-sized tensors are not supported: ${name} is ${v}`);
  }
  return null;
}

/** The refusal graph mode gives for a dynamic shape (the op only runs in static graph mode). */
export function dynamicShapeRefusal(soc: SocSpec): Refusal {
  return refuse(
    soc,
    "dynamic-shape",
    "dynamic shapes are not supported: QuantConv2d only runs in static graph mode (compile with dynamic=false)",
  );
}

/** Throws an Error carrying the refusal (`error.refusal`) when the product refuses the shape. */
export function assertQuantConv2dSupported(soc: SocSpec, g: QuantConv2dGeometry): void {
  const r = checkQuantConv2dSupported(soc, g);
  if (r) throw Object.assign(new Error(r.message), { refusal: r });
}

/**
 * A float16 convolution on the Cube (spec section 7) goes through the same Load3D: its field
 * ranges and the minimal L1 tile apply, with C0 = 16 float16 channels (32 bytes per pixel, as
 * for int8).
 */
export function checkConv2dFloat16Supported(soc: SocSpec, g: Conv2dGeometry): Refusal | null {
  const fields: [string, number, number, number][] = [
    ["stride", g.strideH, g.strideW, soc.load3dMaxStride.value],
    ["dilation", g.dilationH, g.dilationW, soc.load3dMaxDilation.value],
    ["padding", g.padTop, g.padLeft, soc.load3dMaxPad.value],
    ["kernel", g.kh, g.kw, soc.load3dMaxKernel.value],
  ];
  for (const [name, a, b, max] of fields) {
    if (a > max || b > max) {
      return refuse(
        soc,
        "load3d-field-range",
        `shape not supported by the load unit (Load3D field range): ${name} [${a}, ${b}] exceeds ${max}`,
        "Conv2D",
      );
    }
  }
  const rows = minL1Rows(g.wOut);
  const need = ((rows - 1) * g.strideH + (g.kh - 1) * g.dilationH + 1) * g.w * C0_INT8;
  if (need > soc.l1Bytes.value) {
    return refuse(
      soc,
      "l1-min-footprint",
      `the minimal input tile does not fit in L1: ${need} bytes > L1 ${soc.l1Bytes.value} bytes`,
      "Conv2D",
    );
  }
  return null;
}
