// Module: torch.nn.Module for inference. Parameters, buffers and children are registered by
// name; state dicts, device moves and printing walk that tree.

import { ArgumentError, Tensor, describe, type DType, type DeviceLike } from "@tsnpu/tensor";
import type { Parameter } from "./parameter.js";

export type StateDict = Record<string, Tensor>;

export interface LoadStateDictResult {
  readonly missingKeys: string[];
  readonly unexpectedKeys: string[];
}

export abstract class Module {
  training = true;
  readonly #parameters = new Map<string, Parameter | null>();
  readonly #buffers = new Map<string, Tensor | null>();
  readonly #children = new Map<string, Module>();
  /** Released with this module: the compiled models made from it. */
  readonly #dependents = new Set<WeakRef<{ dispose(): void }>>();

  abstract forward(...inputs: Tensor[]): Tensor;

  /** Registers (or clears, with null) a parameter; returns it for field initialisers. */
  protected registerParameter<P extends Parameter | null>(name: string, parameter: P): P {
    this.#parameters.set(name, parameter);
    return parameter;
  }
  protected registerBuffer<T extends Tensor | null>(name: string, tensor: T): T {
    this.#buffers.set(name, tensor);
    return tensor;
  }
  protected registerModule<M extends Module>(name: string, module: M): M {
    this.#children.set(name, module);
    return module;
  }

  *namedChildren(): Generator<[string, Module]> {
    yield* this.#children;
  }
  children(): Module[] {
    return [...this.#children.values()];
  }
  /** This module and every descendant, with dotted names ("" for this one). */
  *namedModules(prefix = ""): Generator<[string, Module]> {
    yield [prefix, this];
    for (const [name, child] of this.#children)
      yield* child.namedModules(prefix ? `${prefix}.${name}` : name);
  }
  *namedParameters(): Generator<[string, Parameter]> {
    for (const [path, m] of this.namedModules()) {
      for (const [name, p] of m.#parameters) if (p) yield [path ? `${path}.${name}` : name, p];
    }
  }
  parameters(): Parameter[] {
    return [...this.namedParameters()].map(([, p]) => p);
  }
  *namedBuffers(): Generator<[string, Tensor]> {
    for (const [path, m] of this.namedModules()) {
      for (const [name, b] of m.#buffers) if (b) yield [path ? `${path}.${name}` : name, b];
    }
  }

  /** Every parameter's and buffer's current tensor, by dotted name. */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, p] of this.namedParameters()) out[name] = p.data;
    for (const [name, b] of this.namedBuffers()) out[name] = b;
    return out;
  }

  /**
   * Loads tensors by dotted name. Each one replaces the parameter's `.data` (moved to the
   * parameter's device, dtype kept as given: a parameter lists the dtypes it takes, which is how
   * a float32 scale reaches QuantConv2d). Shapes must match. With `strict` (the default) missing
   * or unexpected keys throw. Atomic: every entry is checked (and moved) before any is assigned,
   * so a bad entry leaves the module as it was.
   */
  loadStateDict(
    state: StateDict,
    { strict = true }: { strict?: boolean } = {},
  ): LoadStateDictResult {
    if (
      typeof state !== "object" ||
      state === null ||
      Array.isArray(state) ||
      state instanceof Tensor
    ) {
      throw new ArgumentError(
        "loadStateDict",
        "state",
        "an object mapping parameter names to tensors",
        describe(state),
      );
    }
    const own = new Map<
      string,
      { set(t: Tensor): void; current: Tensor; dtypes: readonly DType[] }
    >();
    for (const [path, m] of this.namedModules()) {
      const full = (n: string) => (path ? `${path}.${n}` : n);
      for (const [n, p] of m.#parameters)
        if (p) own.set(full(n), { current: p.data, dtypes: p.dtypes, set: (t) => (p.data = t) });
      for (const [n, b] of m.#buffers)
        if (b)
          own.set(full(n), { current: b, dtypes: [b.dtype], set: (t) => m.#buffers.set(n, t) });
    }
    const missingKeys = [...own.keys()].filter((k) => !(k in state));
    const unexpectedKeys = Object.keys(state).filter((k) => !own.has(k));
    if (strict && (missingKeys.length || unexpectedKeys.length)) {
      throw new ArgumentError(
        "loadStateDict",
        "state",
        "exactly the module's keys",
        `missing [${missingKeys.join(", ")}], unexpected [${unexpectedKeys.join(", ")}]`,
      );
    }
    const updates: [(t: Tensor) => void, Tensor, DeviceLike][] = [];
    for (const [key, slot] of own) {
      if (!(key in state)) continue;
      const t: unknown = state[key];
      if (!(t instanceof Tensor))
        throw new ArgumentError("loadStateDict", key, "a Tensor", describe(t));
      if (t.shape.join() !== slot.current.shape.join()) {
        throw new ArgumentError(
          "loadStateDict",
          key,
          `shape ${describe(slot.current.shape)}`,
          `shape ${describe(t.shape)}`,
        );
      }
      if (!slot.dtypes.includes(t.dtype)) {
        throw new ArgumentError(
          "loadStateDict",
          key,
          `of dtype ${slot.dtypes.map((d) => d.name).join(" or ")}`,
          `dtype ${t.dtype.name}`,
        );
      }
      updates.push([slot.set, t, slot.current.device]);
    }
    const moved = updates.map(([set, t, device]) => [set, t.to(device)] as const);
    for (const [set, t] of moved) set(t);
    return { missingKeys, unexpectedKeys };
  }

  /** Moves every parameter and buffer to `device` (in place, like torch), returns this. */
  to(device: DeviceLike): this {
    for (const [, m] of this.namedModules()) {
      for (const p of m.#parameters.values()) if (p) p.data = p.data.to(device);
      for (const [n, b] of m.#buffers) if (b) m.#buffers.set(n, b.to(device));
    }
    return this;
  }
  npu(index = 0): this {
    return this.to(`npu:${index}`);
  }
  cpu(): this {
    return this.to("cpu");
  }

  /**
   * Frees every parameter's and buffer's tensor now (with the packed weights a backend cached
   * for them) and every compiled model made from this module (their graphs). Using the module
   * or those models afterwards throws DisposedError.
   */
  dispose(): void {
    for (const [, m] of this.namedModules()) {
      for (const d of m.#dependents) d.deref()?.dispose();
      m.#dependents.clear();
    }
    for (const [, p] of this.namedParameters()) p.data.dispose();
    for (const [, b] of this.namedBuffers()) b.dispose();
  }

  /** @internal Registers something (a compiled model) that this module's dispose() frees too. */
  addDependent(dependent: { dispose(): void }): void {
    this.#dependents.add(new WeakRef(dependent));
  }

  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }
  eval(): this {
    return this.train(false);
  }

  /** The text inside the parentheses of this module's line, as torch's extra_repr. */
  protected extraRepr(): string {
    return "";
  }

  toString(): string {
    const name = this.constructor.name;
    const children = [...this.#children].map(
      ([n, m]) => `(${n}): ${m.toString().split("\n").join("\n  ")}`,
    );
    if (children.length === 0) return `${name}(${this.extraRepr()})`;
    const extra = this.extraRepr();
    return `${name}(\n  ${[...(extra ? [extra] : []), ...children].join("\n  ")}\n)`;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
