// The kernel module's exports as the JS side sees them: the functions (typed here, exported by
// assembly/index.ts), and the start-up check that the module was built from the same src/abi.ts.

import { TsnpuError } from "@tsnpu/tensor";
import * as abi from "../abi.js";

export interface KernelExports {
  heapBase(): number;
  fill(ptr: number, byte: number, bytes: number): void;
  controlBytes(threads: number): number;
  run(plan: number, ctl: number, nthreads: number, canBlock: number): void;
  packWeights(plan: number, src: number): void;
  wakeAll(ctl: number): void;
  convertF32ToF16(src: number, dst: number, n: number): void;
  relu(dtype: number, src: number, dst: number, n: number): void;
  quantize(
    inDtype: number,
    src: number,
    outDtype: number,
    dst: number,
    outer: number,
    channels: number,
    inner: number,
    params: number,
    divMode: number,
    lo: number,
    hi: number,
    act: number,
    actLo: number,
    actHi: number,
  ): void;
  unary(op: number, dtype: number, src: number, dst: number, n: number): void;
  clamp(
    dtype: number,
    src: number,
    dst: number,
    n: number,
    lo: number,
    hi: number,
    nanBits: number,
  ): void;
  binary(
    op: number,
    dtype: number,
    a: number,
    b: number,
    out: number,
    n: number,
    alpha: number,
    scalar: number,
  ): void;
  maxPool2d(
    dtype: number,
    src: number,
    dst: number,
    planes: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    strideH: number,
    strideW: number,
    padH: number,
    padW: number,
    dilationH: number,
    dilationW: number,
    hOut: number,
    wOut: number,
  ): void;
  matmul(
    dtype: number,
    a: number,
    b: number,
    out: number,
    batches: number,
    n: number,
    k: number,
    m: number,
    aStride: number,
    bStride: number,
  ): void;
  avgPool2d(
    dtype: number,
    src: number,
    dst: number,
    planes: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    strideH: number,
    strideW: number,
    padH: number,
    padW: number,
    hOut: number,
    wOut: number,
    countIncludePad: number,
    divisorOverride: number,
  ): void;
  reduce(op: number, dtype: number, src: number, dst: number, groups: number, size: number): void;
  widenF16(src: number, dst: number, n: number): void;
  floatUnary(
    op: number,
    dtype: number,
    src: number,
    dst: number,
    n: number,
    p0: number,
    p1: number,
  ): void;
  pow(dtype: number, a: number, b: number, out: number, n: number, scalar: number): void;
  prelu(dtype: number, a: number, w: number, out: number, n: number): void;
  softmax(
    dtype: number,
    src: number,
    dst: number,
    outer: number,
    size: number,
    inner: number,
  ): void;
  where(
    bytes: number,
    cond: number,
    a: number,
    b: number,
    out: number,
    n: number,
    quiet: number,
  ): void;
  equal(kind: number, bytes: number, a: number, b: number, out: number, n: number): void;
  castF32ToF16(src: number, dst: number, n: number): void;
  castF16ToF32(src: number, dst: number, n: number): void;
  padPlanes(
    src: number,
    dst: number,
    planes: number,
    h: number,
    rowBytes: number,
    hOut: number,
    outRowBytes: number,
    top: number,
    left: number,
  ): void;
}

/** The constants of src/abi.ts whose exported global in `exports` is missing or differs, as text. */
export function abiMismatches(exports: Readonly<Record<string, unknown>>): string[] {
  const wrong: string[] = [];
  for (const [name, expected] of Object.entries(abi)) {
    const global = exports[name];
    const actual = global instanceof WebAssembly.Global ? (global.value as number) : undefined;
    if (actual !== expected)
      wrong.push(`${name} is ${actual ?? "missing"} in the module, ${expected} here`);
  }
  return wrong;
}

/**
 * The module's exports, typed, once its ABI globals equal src/abi.ts: a module built from
 * another version (a stale build, a file from another release) is refused here, before a
 * plan or control block laid out differently could corrupt memory.
 */
export function kernelExports(exports: Readonly<Record<string, unknown>>): KernelExports {
  const wrong = abiMismatches(exports);
  if (wrong.length) {
    const what =
      wrong.length === Object.keys(abi).length
        ? "it exports none of the ABI constants (built before the module exported them?)"
        : wrong.length > 5
          ? `${wrong.slice(0, 5).join("; ")}; and ${wrong.length - 5} more`
          : wrong.join("; ");
    throw new TsnpuError(
      `@tsnpu/backend-wasm: the kernel module was built from another ABI than this JS side (src/abi.ts); ` +
        `rebuild it (pnpm build) or load the module of this version: ${what}`,
    );
  }
  return exports as unknown as KernelExports;
}
