// How a QuantConv2d is laid out on the AI Cores: the geometry in the hardware's padded units,
// the split of the work over cores and the L0 tile sizes. The tiler chooses them
// (tiler.ts), the cost model prices them (cycles.ts), the simulator executes them (execute.ts).

import type { QuantConv2dGeometry } from "@tsnpu/tensor";
import { C0_INT8, CO0, ceilDiv } from "./layouts.js";

/** Sizes derived once from the geometry, in the hardware's padded units. */
export interface ConvDims {
  /** Output pixels per image, Ho*Wo. */
  readonly m: number;
  /** 16-row blocks of M (M padded up to a multiple of 16). */
  readonly mBlocks: number;
  /** Input channel groups of 32. */
  readonly c1: number;
  /** K blocks of 32: C1*KH*KW. */
  readonly kBlocks: number;
  /** Padded K: kBlocks*32. */
  readonly k: number;
  /** Output channel blocks of 16. */
  readonly coutBlocks: number;
}

export function convDims(g: QuantConv2dGeometry): ConvDims {
  const m = g.hOut * g.wOut;
  const c1 = ceilDiv(g.cin, C0_INT8);
  const kBlocks = c1 * g.kh * g.kw;
  return {
    m,
    mBlocks: ceilDiv(m, 16),
    c1,
    kBlocks,
    k: kBlocks * C0_INT8,
    coutBlocks: ceilDiv(g.cout, CO0),
  };
}

export interface L0Tiles {
  /** Rows of A / C per tile (multiple of 16). */
  readonly mL0: number;
  /** K per tile (multiple of 32, < 4096). */
  readonly kL0: number;
  /** Columns of B / C per tile (multiple of 16). */
  readonly nL0: number;
}

/** One core's share: half-open ranges of batches, 16-row M blocks and 16-channel Cout blocks. */
export interface CorePart {
  readonly n0: number;
  readonly n1: number;
  readonly mb0: number;
  readonly mb1: number;
  readonly cb0: number;
  readonly cb1: number;
}

export interface CoreSplit {
  /** Parts along batch, Cout 16-blocks and M 16-blocks; parts = batch*cout*m <= cores. */
  readonly batch: number;
  readonly cout: number;
  readonly m: number;
  readonly parts: number;
}
