// Typed errors: every error tsnpu throws on bad input is one of these, so callers can catch a
// class instead of parsing text. Messages name the argument, what was expected and what came.

/** Base class of every error tsnpu throws on purpose. */
export class TsnpuError extends Error {
  override name = "TsnpuError";
}

/** An argument has the wrong value, type, dtype or shape. */
export class ArgumentError extends TsnpuError {
  override name = "ArgumentError";
  constructor(
    /** The op or function that refused the argument. */
    readonly op: string,
    /** The argument's name as the public API spells it. */
    readonly argument: string,
    readonly expected: string,
    readonly received: string,
  ) {
    super(`${op}: ${argument} must be ${expected}, but got ${received}`);
  }
}

/** Tensors of one op live on different devices. */
export class DeviceMismatchError extends TsnpuError {
  override name = "DeviceMismatchError";
}

/** No kernel for an op on a backend, and no fallback allowed. */
export class KernelNotFoundError extends TsnpuError {
  override name = "KernelNotFoundError";
  constructor(
    readonly op: string,
    readonly backend: string,
    readonly dtypes: readonly string[],
    message: string,
  ) {
    super(message);
  }
}

/** A valid request that this backend or product does not support (e.g. a simulated NPU refusing a shape). */
export class UnsupportedError extends TsnpuError {
  override name = "UnsupportedError";
}

/** An allocation the memory cannot hold: more than the JS engine's largest typed array, wasm's memory limit, or what is free. */
export class OutOfMemoryError extends TsnpuError {
  override name = "OutOfMemoryError";
  constructor(
    /** Who allocated: an op or function name, or a backend. */
    readonly op: string,
    /** Bytes that were asked for. */
    readonly requestedBytes: number,
    /** The limit that refused them, in bytes (null when the engine refused without saying). */
    readonly limitBytes: number | null,
    /** What the limit is, e.g. "the JS engine's largest typed array". */
    readonly limit: string,
  ) {
    super(
      `${op}: cannot allocate ${requestedBytes} bytes: ${limitBytes === null ? limit : `the limit is ${limitBytes} bytes (${limit})`}`,
    );
  }
}

/** Reading data from a symbolic tensor while tracing a graph. */
export class GraphTraceError extends TsnpuError {
  override name = "GraphTraceError";
}

/** Use of a tensor, module or compiled model after dispose(), or of a wasm runtime after shutdown(). */
export class DisposedError extends TsnpuError {
  override name = "DisposedError";
}

/** Formats a value for an error message: shapes as [a, b], strings quoted, dtypes by name. */
export function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (Array.isArray(value)) return `[${value.map(describe).join(", ")}]`;
  if (typeof value === "object" && value !== null && "shape" in value && "dtype" in value) {
    const t = value as { shape: readonly number[]; dtype: { name: string } };
    return `a ${t.dtype.name} tensor of shape [${t.shape.join(", ")}]`;
  }
  return String(value);
}
