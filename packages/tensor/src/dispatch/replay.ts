// A prepared graph as a replay program, built once so that a replay does only the kernels' work:
// every symbolic tensor of the trace gets a slot of an array, and each step reads its inputs
// from slots (or constants) by precomputed index. Intermediates live at offsets the buffer
// planner gave them (buffer-plan.ts) in one arena per device, as tensors made once: a kernel
// receives its planned result from Tensor.forOutput (planned-outputs.ts), and views of planned
// tensors (as_strided) are made once here and cost nothing per replay.
//
// Contract: a replay's outputs are always fresh. A tensor the graph returns (or that a returned
// view shares memory with) is never planned: it is allocated per replay and belongs to the
// caller, so a later replay never overwrites results the caller still holds.

import type { Device } from "../device.js";
import type { Storage } from "../storage.js";
import { Tensor } from "../tensor.js";
import type { Backend, StorageArena } from "./backend.js";
import { planOffsets } from "./buffer-plan.js";
import type { KernelInputs } from "./op.js";
import { withPlannedOutputs } from "./planned-outputs.js";
import type { KernelFn } from "./registry.js";
import type { GraphNode } from "./trace.js";

/** A kernel's `prepare` result; `dispose`, when present, frees what it prepared (packed weights). */
export type PreparedKernelFn = KernelFn & { dispose?(): void };

/** One node (or fused chain, dispatch/fuse.ts) with the kernel that runs it. */
export interface PreparedNode {
  readonly node: GraphNode;
  readonly run: PreparedKernelFn;
}

/** Where a step reads an input: a slot, a constant tensor, or nothing (an absent optional input). */
type Source = number | Tensor | null;

interface Step {
  readonly names: readonly string[];
  readonly sources: readonly (Source | readonly Source[])[];
  readonly outSlots: readonly number[];
  /** Per output: its planned tensor, or null (allocated by the kernel); null when none is planned. */
  readonly planned: readonly (Tensor | null)[] | null;
  /**
   * The step's inputs object, made once and refilled by every replay (variadic inputs: arrays
   * refilled in place), and the kernel call on it: a replay allocates nothing per step for the
   * call itself. Kernels do not keep their inputs object after returning.
   */
  readonly args: Record<string, Tensor | null | (Tensor | null)[]>;
  readonly call: () => Tensor[];
}

/** What the buffer planner did for a graph (Graph.bufferPlan). */
export interface BufferPlanReport {
  /** Intermediates given a place in an arena. */
  readonly buffers: number;
  /** Their total bytes, as if each had its own memory. */
  readonly plannedBytes: number;
  /** Bytes of the arenas holding them (all devices). */
  readonly arenaBytes: number;
  /** Of the buffers, cat inputs placed inside the cat's result (computed in place, not copied). */
  readonly inCat: number;
}

/** A cat input planned inside the cat's result: that slot, and the byte offset of its slab. */
interface CatSlab {
  readonly into: number;
  readonly byteOffset: number;
}

const isView = (n: GraphNode) => n.op.name === "as_strided" && "input" in n.inputs;

export class ReplayProgram {
  /** Times a kernel returned a result outside its planned place, which was then copied there. */
  copies = 0;

  private constructor(
    private readonly steps: readonly Step[],
    /** Slot values that do not change between replays: planned tensors and views of them. */
    private readonly fixed: readonly (Tensor | null)[],
    private readonly inputCount: number,
    private readonly output: Source | readonly Source[],
    private readonly arenas: readonly StorageArena[],
    readonly report: BufferPlanReport,
  ) {
    this.plannedStorages = new Set(fixed.flatMap((t) => (t ? [t.storage] : [])));
  }

  /** The storages of planned tensors (a graph output must never be one). */
  private readonly plannedStorages: ReadonlySet<Storage>;

  /**
   * The program of `prepared` (in run order) for graph inputs `inputs` and `output`; plans the
   * intermediates of devices whose backend (`backendOf`) can allocate arenas.
   */
  static build(
    prepared: readonly PreparedNode[],
    inputs: readonly Tensor[],
    output: Tensor | readonly Tensor[],
    backendOf: (device: Device) => Backend,
  ): ReplayProgram {
    const slotOf = new Map<Tensor, number>();
    inputs.forEach((t, i) => slotOf.set(t, i));
    const source = (t: Tensor | null | undefined): Source => {
      if (!t) return null;
      const slot = slotOf.get(t);
      if (slot !== undefined) return slot;
      if (t.isSymbolic) throw new Error("tsnpu internal: a graph node reads an unknown tensor");
      return t; // a constant (weights, folded values)
    };
    /** Per slot: the slot whose memory it is (itself, or the tensor an as_strided views). */
    const root: number[] = inputs.map((_, i) => i);
    /** Per slot: the tensor recorded for it. */
    const symbolic: Tensor[] = [...inputs];
    const lastUse: number[] = inputs.map(() => -1);
    const firstUse: number[] = inputs.map(() => -1);
    const raw = prepared.map((p, index) => {
      const entries = Object.entries(p.node.inputs as Record<string, unknown>);
      const sources = entries.map(([, v]) =>
        Array.isArray(v) ? v.map((t: Tensor | null) => source(t)) : source(v as Tensor | null),
      );
      for (const s of sources.flat())
        if (typeof s === "number") lastUse[root[s]!] = Math.max(lastUse[root[s]!]!, index);
      const viewOf = isView(p.node) && typeof sources[0] === "number" ? root[sources[0]]! : null;
      const outSlots = p.node.outputs.map((t) => {
        const slot = symbolic.length;
        slotOf.set(t, slot);
        symbolic.push(t);
        root.push(viewOf ?? slot);
        firstUse.push(index);
        lastUse.push(index);
        return slot;
      });
      return { prepared: p, names: entries.map(([n]) => n), sources, outSlots };
    });
    const outputSources = Array.isArray(output)
      ? (output as readonly Tensor[]).map(source)
      : source(output as Tensor);
    // What the caller receives (and what it shares memory with) is allocated per replay.
    const escaping = new Set<number>();
    for (const s of [outputSources].flat()) if (typeof s === "number") escaping.add(root[s]!);

    const fixed: (Tensor | null)[] = symbolic.map(() => null);
    const { arenas, report } = placeIntermediates(
      symbolic,
      root,
      firstUse,
      lastUse,
      escaping,
      inputs.length,
      catSlabs(raw, symbolic, root, lastUse, escaping, inputs.length),
      backendOf,
      fixed,
    );
    const steps: Step[] = [];
    for (const s of raw) {
      const input = s.sources[0];
      const base = isView(s.prepared.node) && typeof input === "number" ? fixed[input] : null;
      if (base) {
        // A view of a planned tensor: the same tensor every replay, made now.
        const { node, run } = s.prepared;
        const [view] = run(
          { input: base } as KernelInputs<readonly string[]>,
          node.attrs,
          node.outputs,
          node.derived,
        );
        fixed[s.outSlots[0]!] = view ?? null;
        continue;
      }
      const planned = s.outSlots.map((slot) => fixed[slot] ?? null);
      const args: Step["args"] = {};
      s.names.forEach((name, k) => {
        const source = s.sources[k]!;
        args[name] = Array.isArray(source) ? source.map(() => null) : null;
      });
      const { node, run } = s.prepared;
      const inputs = args as KernelInputs<readonly string[]>;
      const call = () => run(inputs, node.attrs, node.outputs, node.derived);
      steps.push({
        names: s.names,
        sources: s.sources,
        outSlots: s.outSlots,
        planned: planned.some((t) => t) ? planned : null,
        args,
        call,
      });
    }
    return new ReplayProgram(steps, fixed, inputs.length, outputSources, arenas, report);
  }

  /** Runs every step on `inputs` (contiguous, of the traced specs); returns the graph's outputs. */
  run(inputs: readonly Tensor[]): Tensor | Tensor[] {
    const values = this.fixed.slice();
    for (let i = 0; i < this.inputCount; i++) values[i] = inputs[i]!;
    const read = (s: Source): Tensor | null => (typeof s === "number" ? values[s]! : s);
    for (const step of this.steps) {
      const args = step.args;
      for (let k = 0; k < step.names.length; k++) {
        const s = step.sources[k]!;
        if (!Array.isArray(s)) args[step.names[k]!] = read(s as Source);
        else {
          const list = args[step.names[k]!] as (Tensor | null)[];
          for (let j = 0; j < s.length; j++) list[j] = read(s[j] as Source);
        }
      }
      const outs = step.planned ? withPlannedOutputs(step.planned, step.call) : step.call();
      for (let k = 0; k < step.outSlots.length; k++) {
        let t = outs[k];
        if (!t) continue;
        const p = step.planned?.[k];
        if (p && t.storage !== p.storage) {
          // A kernel that did not take its planned place (a result made otherwise, or an
          // input returned as is): readers and views of this slot use the planned memory.
          t.copyInto(p.storage.data);
          t = p;
          this.copies++;
        }
        values[step.outSlots[k]!] = t;
      }
    }
    return Array.isArray(this.output)
      ? (this.output as readonly Source[]).map((s) => this.fresh(read(s)!))
      : this.fresh(read(this.output as Source)!);
  }

  /** `t`, or a copy of it when it lives in an arena (a kernel returned a planned input as is). */
  private fresh(t: Tensor): Tensor {
    if (!this.plannedStorages.has(t.storage)) return t;
    const out = Tensor.forOutput(t.shape, t.dtype, t.device);
    t.copyInto(out.storage.data);
    this.copies++;
    return out;
  }

  /** Frees the arenas. */
  dispose(): void {
    for (const a of this.arenas) a.dispose();
  }
}

/**
 * The cat inputs a replay can compute straight into the cat's result (BlazeFace pads channels
 * with a cat of zeros after each pooling): a contiguous slab of it (nothing before the cat dim
 * but size 1), the input an intermediate of the result's dtype that nothing reads after the
 * cat, and not itself a cat with inputs placed in it. The cat then finds the input where it
 * would copy it (its kernel may skip that copy; a copy onto itself is also right).
 */
function catSlabs(
  raw: readonly {
    prepared: PreparedNode;
    names: readonly string[];
    sources: readonly (Source | readonly Source[])[];
    outSlots: readonly number[];
  }[],
  symbolic: readonly Tensor[],
  root: readonly number[],
  lastUse: readonly number[],
  escaping: ReadonlySet<number>,
  inputCount: number,
): Map<number, CatSlab> {
  const slabs = new Map<number, CatSlab>();
  const targets = new Set<number>();
  raw.forEach(({ prepared: { node }, names, sources, outSlots }, index) => {
    if (node.op.name !== "cat" || outSlots.length !== 1) return;
    const out = outSlots[0]!;
    const result = symbolic[out]!;
    const dim = node.derived as number;
    if (escaping.has(out) || result.shape.slice(0, dim).some((d) => d !== 1)) return;
    const list = sources[names.indexOf("tensors")];
    if (!Array.isArray(list)) return;
    const tensors = (node.inputs as { tensors: readonly Tensor[] }).tensors;
    const slabBytes = (result.numel() / result.shape[dim]!) * result.dtype.itemSize;
    let at = 0;
    list.forEach((src, i) => {
      const t = tensors[i]!;
      if (
        typeof src === "number" &&
        src >= inputCount &&
        root[src] === src &&
        !escaping.has(src) &&
        lastUse[src] === index &&
        t.dtype === result.dtype &&
        t.numel() > 0 &&
        !slabs.has(src) &&
        !targets.has(src) &&
        list.indexOf(src) === list.lastIndexOf(src)
      ) {
        slabs.set(src, { into: out, byteOffset: at * slabBytes });
        targets.add(out);
      }
      at += t.shape[dim]!;
    });
  });
  return slabs;
}

/**
 * Gives every plannable intermediate (a node's result, not returned by the graph, on a device
 * whose backend allocates arenas) its place: fills `fixed` with the planned tensors. A cat
 * input of `slabs` is placed in its cat's result, whose lifetime then starts with the input's.
 */
function placeIntermediates(
  symbolic: readonly Tensor[],
  root: readonly number[],
  firstUse: readonly number[],
  lastUse: readonly number[],
  escaping: ReadonlySet<number>,
  inputCount: number,
  slabs: ReadonlyMap<number, CatSlab>,
  backendOf: (device: Device) => Backend,
  fixed: (Tensor | null)[],
): { arenas: StorageArena[]; report: BufferPlanReport } {
  const first = [...firstUse];
  for (const [slot, { into }] of slabs) first[into] = Math.min(first[into]!, firstUse[slot]!);
  const byDevice = new Map<string, { device: Device; backend: Backend; slots: number[] }>();
  for (let slot = inputCount; slot < symbolic.length; slot++) {
    const t = symbolic[slot]!;
    if (root[slot] !== slot || escaping.has(slot) || slabs.has(slot) || t.numel() === 0) continue;
    const key = String(t.device);
    let group = byDevice.get(key);
    if (!group) {
      group = { device: t.device, backend: backendOf(t.device), slots: [] };
      byDevice.set(key, group);
    }
    group.slots.push(slot);
  }
  const arenas: StorageArena[] = [];
  let buffers = 0;
  let plannedBytes = 0;
  let arenaBytes = 0;
  let inCat = 0;
  for (const { device, backend, slots } of byDevice.values()) {
    if (!backend.allocateArena) continue;
    const bytesOf = (slot: number) => symbolic[slot]!.numel() * symbolic[slot]!.dtype.itemSize;
    const plan = planOffsets(
      slots.map((slot) => ({ bytes: bytesOf(slot), first: first[slot]!, last: lastUse[slot]! })),
    );
    const arena = backend.allocateArena(plan.bytes, device);
    arenas.push(arena);
    const place = (slot: number, byteOffset: number) => {
      const t = symbolic[slot]!;
      const storage = arena.storageAt(t.dtype, byteOffset, t.numel());
      fixed[slot] = Tensor.fromStorage(storage, t.shape, device);
      plannedBytes += bytesOf(slot);
      buffers++;
    };
    slots.forEach((slot, i) => place(slot, plan.offsets[i]!));
    for (const [slot, { into, byteOffset }] of slabs) {
      const i = slots.indexOf(into);
      if (i < 0) continue;
      place(slot, plan.offsets[i]! + byteOffset);
      inCat++;
    }
    arenaBytes += plan.bytes;
  }
  return { arenas, report: { buffers, plannedBytes, arenaBytes, inCat } };
}
