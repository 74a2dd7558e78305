// The simulated products, as data (docs/semantics/npu-sim.md section 1). Every constant carries a tag:
//   [doc]    stated by public Ascend docs or code,
//   [est]    a third-party or derived figure,
//   [assume] our modelling choice where nothing public says.
// Adding a product means adding a row to SOC_TABLE; changing a guess means editing one value.

export type SourceTag = "doc" | "est" | "assume";

/** A constant and where it comes from. */
export interface Tagged<T> {
  readonly value: T;
  readonly tag: SourceTag;
  readonly note?: string;
}

const doc = <T>(value: T, note?: string): Tagged<T> => ({
  value,
  tag: "doc",
  ...(note ? { note } : {}),
});
const est = <T>(value: T, note?: string): Tagged<T> => ({
  value,
  tag: "est",
  ...(note ? { note } : {}),
});
const assume = <T>(value: T, note?: string): Tagged<T> => ({
  value,
  tag: "assume",
  ...(note ? { note } : {}),
});

export type SocName = "Ascend910B" | "Ascend910_93" | "Ascend310P";
export type Fp16OverflowMode = "inf" | "saturate";

export interface SocSpec {
  readonly name: SocName;
  /** Marketing family, used in messages ("Atlas A2", ...). */
  readonly family: string;
  readonly cubeCores: Tagged<number>;
  readonly clockGHz: Tagged<number>;
  /** int8 fractal processed per cycle per core: M x K x N. */
  readonly cubeStep: Tagged<{ readonly m: number; readonly k: number; readonly n: number }>;
  readonly l1Bytes: Tagged<number>;
  readonly l0aBytes: Tagged<number>;
  readonly l0bBytes: Tagged<number>;
  readonly l0cBytes: Tagged<number>;
  /** null: no BiasTable, bias is broadcast into L0C. */
  readonly biasTableBytes: Tagged<number | null>;
  readonly dequantUnit: Tagged<"fixpipe" | "vector">;
  readonly fp16Overflow: Tagged<Fp16OverflowMode>;
  readonly gmReadBytesPerCycle: Tagged<number>;
  readonly l2ReadBytesPerCycle: Tagged<number>;
  /** Recorded from the spec; the model bounds writes by the FixPipe rate instead. */
  readonly l2WriteBytesPerCycle: Tagged<number>;
  readonly l1ToL0aBytesPerCycle: Tagged<number>;
  /** No public figure for L1 -> L0B; the model uses one MTE1 rate for both. */
  readonly l1ToL0bBytesPerCycle: Tagged<number>;
  /** Largest kernel side the Load3D instruction encodes. */
  readonly load3dMaxKernel: Tagged<number>;
  readonly load3dMaxStride: Tagged<number>;
  readonly load3dMaxDilation: Tagged<number>;
  readonly load3dMaxPad: Tagged<number>;
  /** Largest K extent of one Load3D (kAL1 * 32 * kh * kw); null when the product has no such rule. */
  readonly load3dMaxKExtension: Tagged<number | null>;
  /** Dequant output rate (FixPipe, or the vector unit on 310P). */
  readonly fixpipeBytesPerCycle: Tagged<number>;
  /** Fixed per-core cost: first loads before the pipeline fills, final write-back. */
  readonly corePrologueCycles: Tagged<number>;
  readonly launchOverheadUs: Tagged<number>;
  /** Per-core rate of a layout conversion (TransData), read + write bytes per cycle. */
  readonly transDataBytesPerCycle: Tagged<number>;
  // Section 7: whole networks.
  /** "separated": AIC (Cube) and AIV (Vector) cores apart; "coupled": each AI Core has both. */
  readonly coreLayout: Tagged<"separated" | "coupled">;
  /** Vector cores (AIV on A2/A3; on 310P the vector units of the AI Cores). */
  readonly vectorCores: Tagged<number>;
  /** Unified Buffer per vector core. */
  readonly ubBytes: Tagged<number>;
  /** Bytes one vector core processes per cycle (one repeat). */
  readonly vectorBytesPerCycle: Tagged<number>;
  /** MTE2, GM -> UB, per vector core. */
  readonly gmToUbBytesPerCycle: Tagged<number>;
  /** MTE3, UB -> GM, per vector core. */
  readonly ubToGmBytesPerCycle: Tagged<number>;
  /** float16 fractal processed per cycle per core: M x K x N. */
  readonly cubeStepFp16: Tagged<{ readonly m: number; readonly k: number; readonly n: number }>;
  /** Whether FixPipe applies ReLU in the dequant pass (else the vector unit does, after vdeq). */
  readonly fixpipeRelu: Tagged<boolean>;
  /** Launch cost per op when the whole graph is sunk to the device (compile). */
  readonly graphLaunchOverheadUs: Tagged<number>;
  /** Fixed per-core cost of a Vector op: the first GM -> UB burst and the last write-back. */
  readonly vectorPrologueCycles: Tagged<number>;
}

const ascend910B: SocSpec = {
  name: "Ascend910B",
  family: "Atlas A2 training/inference series",
  cubeCores: doc(24, "24 on B1/B2, 20 on B3/B4"),
  clockGHz: est(1.8, "B2; B1 1.85, B4 1.5"),
  cubeStep: est({ m: 16, k: 32, n: 16 }),
  l1Bytes: doc(512 * 1024),
  l0aBytes: doc(64 * 1024),
  l0bBytes: doc(64 * 1024),
  l0cBytes: doc(128 * 1024),
  biasTableBytes: doc(1024),
  dequantUnit: doc("fixpipe", "FixPipe VDEQF16"),
  fp16Overflow: doc("inf", "PyTorch default INF_NAN mode"),
  gmReadBytesPerCycle: est(32),
  l2ReadBytesPerCycle: est(110),
  l2WriteBytesPerCycle: est(110),
  l1ToL0aBytesPerCycle: est(512),
  l1ToL0bBytesPerCycle: assume(512, "same as L1->L0A"),
  load3dMaxKernel: doc(511),
  load3dMaxStride: doc(63),
  load3dMaxDilation: doc(255),
  load3dMaxPad: doc(255),
  load3dMaxKExtension: doc(65535),
  fixpipeBytesPerCycle: assume(86),
  corePrologueCycles: assume(1000),
  launchOverheadUs: assume(10, "A3 figure (~10 us per small kernel) reused"),
  transDataBytesPerCycle: assume(32, "GM read rate"),
  coreLayout: doc("separated", "AIC and AIV cores, 1 AIC : 2 AIV"),
  vectorCores: doc(48, "2 AIV per AIC"),
  ubBytes: doc(192 * 1024),
  vectorBytesPerCycle: doc(256, "one repeat processes 256 B"),
  gmToUbBytesPerCycle: est(32),
  ubToGmBytesPerCycle: est(32),
  cubeStepFp16: est({ m: 16, k: 16, n: 16 }, "half the int8 MACs"),
  fixpipeRelu: doc(true, "FixPipe applies relu"),
  graphLaunchOverheadUs: assume(1, "graph sunk to the device"),
  vectorPrologueCycles: assume(300, "first GM->UB burst + last UB->GM write, not overlapped"),
};

const ascend910_93: SocSpec = {
  ...ascend910B,
  name: "Ascend910_93",
  family: "Atlas A3 training/inference series",
  cubeCores: doc(24, "20 or 24 by SKU"),
  clockGHz: est(1.85),
  l2ReadBytesPerCycle: est(110),
  l2WriteBytesPerCycle: est(86),
  launchOverheadUs: est(10, "about 10 us per small kernel"),
};

const ascend310P: SocSpec = {
  name: "Ascend310P",
  family: "Atlas inference series",
  cubeCores: est(8),
  clockGHz: assume(1.0, "not public"),
  cubeStep: assume({ m: 16, k: 32, n: 16 }),
  l1Bytes: est(1024 * 1024),
  l0aBytes: est(64 * 1024),
  l0bBytes: est(64 * 1024),
  l0cBytes: est(256 * 1024),
  biasTableBytes: doc(null, "bias is broadcast into L0C"),
  dequantUnit: doc("vector", "vector unit vdeq"),
  fp16Overflow: doc("saturate", "+-65504, NaN -> 0"),
  gmReadBytesPerCycle: assume(32),
  l2ReadBytesPerCycle: assume(64),
  l2WriteBytesPerCycle: assume(64),
  l1ToL0aBytesPerCycle: assume(256),
  l1ToL0bBytesPerCycle: assume(256, "same as L1->L0A"),
  load3dMaxKernel: doc(255),
  load3dMaxStride: doc(63),
  load3dMaxDilation: doc(255),
  load3dMaxPad: doc(255),
  load3dMaxKExtension: doc(null, "no K-extension rule on this product"),
  fixpipeBytesPerCycle: assume(86, "vector dequant, same figure as FixPipe"),
  corePrologueCycles: assume(1000),
  launchOverheadUs: assume(10),
  transDataBytesPerCycle: assume(32, "GM read rate"),
  coreLayout: doc("coupled", "each AI Core holds a Cube and a Vector unit"),
  vectorCores: est(8, "one vector unit per AI Core (coupled [doc]), 8 AI Cores [est]"),
  ubBytes: est(256 * 1024),
  vectorBytesPerCycle: assume(256, "same as A2/A3"),
  gmToUbBytesPerCycle: assume(32),
  ubToGmBytesPerCycle: assume(32),
  cubeStepFp16: assume({ m: 16, k: 16, n: 16 }),
  fixpipeRelu: assume(false, "the vector unit applies ReLU after vdeq"),
  graphLaunchOverheadUs: assume(1, "graph sunk to the device"),
  vectorPrologueCycles: assume(300, "same as A2/A3"),
};

export const SOC_TABLE: Readonly<Record<SocName, SocSpec>> = {
  Ascend910B: ascend910B,
  Ascend910_93: ascend910_93,
  Ascend310P: ascend310P,
};

export const DEFAULT_SOC: SocName = "Ascend910B";

export function socNames(): SocName[] {
  return Object.keys(SOC_TABLE) as SocName[];
}

/** The product row for `name` (default Ascend910B); unknown names throw, listing the known ones. */
export function getSoc(name: string = DEFAULT_SOC): SocSpec {
  const soc = (SOC_TABLE as Record<string, SocSpec>)[name];
  if (!soc) throw new Error(`unknown soc "${name}": expected one of ${socNames().join(", ")}`);
  return soc;
}

/** A product row with some constants replaced (e.g. a 20-core SKU, or a better clock guess). */
export function withOverrides(soc: SocSpec, overrides: Partial<Omit<SocSpec, "name">>): SocSpec {
  return { ...soc, ...overrides };
}

/** Peak float16 Cube throughput in TFLOPS (2 ops per multiply-accumulate). */
export function peakFp16Tflops(soc: SocSpec): number {
  const s = soc.cubeStepFp16.value;
  return (soc.cubeCores.value * soc.clockGHz.value * 1e9 * s.m * s.k * s.n * 2) / 1e12;
}

/** Peak int8 throughput in TOPS (2 ops per multiply-accumulate). */
export function peakInt8Tops(soc: SocSpec): number {
  const s = soc.cubeStep.value;
  return (soc.cubeCores.value * soc.clockGHz.value * 1e9 * s.m * s.k * s.n * 2) / 1e12;
}
