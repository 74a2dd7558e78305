// Typed op handles: kernels registered against an op receive its inputs by name, its attributes
// and the value its meta function derived (computed once per call, and once per compiled graph).

import { describe, expect, it } from "vitest";
import {
  Device,
  Graph,
  HostStorage,
  Tensor,
  TsnpuError,
  defineOp,
  dispatch1,
  findKernel,
  float32,
  isNodeOf,
  registerBackend,
  registerKernel,
  tensor,
  type Kernel,
} from "../src/index.js";

const BACKEND = "dispatchtest";
registerBackend({
  name: BACKEND,
  allocate: (dtype, length) => new HostStorage(dtype, dtype.allocate(length)),
});

interface ScaleAttrs {
  readonly factor: number;
}

let metaCalls = 0;
const scaleOp = defineOp({
  name: "dispatch_test_scale",
  inputs: ["x", "shift?"],
  meta: ({ x }, a: ScaleAttrs) => {
    metaCalls++;
    if (!(x instanceof Tensor)) throw new TsnpuError("x must be a tensor");
    return { outputs: [{ shape: x.shape, dtype: x.dtype }], derived: { factor2: a.factor * 2 } };
  },
});

const seen: unknown[] = [];
const scaleKernel: Kernel<typeof scaleOp.inputs, ScaleAttrs, { factor2: number }> = {
  run: ({ x, shift }, a, [spec], derived) => {
    seen.push(derived);
    const values = (x.toTypedArray() as Float32Array).map(
      (v, i) => v * derived.factor2 + a.factor + (shift ? Number(shift.toTypedArray()[i]) : 0),
    );
    const out = Tensor.forOutput(spec.shape, spec.dtype, x.device);
    (out.storage.data as Float32Array).set(values);
    return [out];
  },
  prepare: (_inputs, _attrs, _outputs, derived) => {
    seen.push(`prepared with ${derived.factor2}`);
    return scaleKernel.run;
  },
};
registerKernel(scaleOp, BACKEND, scaleKernel);

const scale = (x: Tensor, factor: number, shift: Tensor | null = null) =>
  dispatch1(scaleOp, { x, shift }, { factor });
const values = (t: Tensor) => [...(t.toTypedArray() as Float32Array)];

describe("typed kernel registration", () => {
  it("passes inputs by name, the attributes and meta's derived value, running meta once per call", () => {
    seen.length = 0;
    metaCalls = 0;
    const x = tensor([1, 2], { dtype: float32 }).to(BACKEND);
    expect(values(scale(x, 3))).toEqual([9, 15]);
    expect(values(scale(x, 1, tensor([10, 20], { dtype: float32 }).to(BACKEND)))).toEqual([13, 25]);
    expect(seen).toEqual([{ factor2: 6 }, { factor2: 2 }]);
    expect(metaCalls).toBe(2);
  });

  it("hands a compiled graph's kernels the derived value recorded at trace time", () => {
    seen.length = 0;
    metaCalls = 0;
    const device = Device.of(BACKEND);
    const graph = Graph.trace((x) => scale(x, 2), [{ shape: [2], dtype: float32, device }]);
    const [node] = graph.nodes;
    expect(node && isNodeOf(scaleOp, node) ? node.derived.factor2 : null).toBe(4);
    expect(seen).toEqual(["prepared with 4"]);
    const x = tensor([1, 2], { dtype: float32 }).to(BACKEND);
    expect(values(graph.run(x) as Tensor)).toEqual([6, 10]);
    expect(values(graph.run(x) as Tensor)).toEqual([6, 10]);
    expect(metaCalls).toBe(1); // the trace only: replays reuse what it derived
  });

  it("shares one registry with registration by name", () => {
    expect(findKernel(scaleOp, BACKEND)).toBe(scaleKernel);
    expect(findKernel("dispatch_test_scale", BACKEND)).toBe(scaleKernel);
    expect(() => registerKernel(scaleOp, BACKEND, scaleKernel)).not.toThrow();
    expect(() => registerKernel("dispatch_test_scale", BACKEND, { run: () => [] })).toThrow(
      /already registered/,
    );
  });

  it("types kernels by the op's declaration", () => {
    registerKernel(scaleOp, "dispatchtest-types", {
      // @ts-expect-error: the op has no input named "y"
      run: ({ y }) => [y],
    });
    registerKernel(scaleOp, "dispatchtest-types2", {
      run: ({ x }) => [x.relu()], // "x" is required: a Tensor, never null
      // @ts-expect-error: "shift?" is optional, so it may be null
      supports: ({ shift }) => shift.numel() > 0,
    });
    expect(findKernel(scaleOp, "dispatchtest-types")).toBeDefined();
  });
});
