// The buffer planner of compiled graphs on wasm (tensor's dispatch/replay.ts): intermediates
// live in one arena reused by every replay. Results must equal eager cpu's, views must keep
// the memory they see alive, a replay must never write into outputs the caller still holds
// (outputs are always fresh), and the arena must be the graph's to free.
import { afterEach, expect, it } from "vitest";
import "@tsnpu/backend-cpu";
import {
  DisposedError,
  type Tensor,
  cat,
  defineOp,
  maxPool2d,
  zeros,
  dispatch1,
  float32,
  randn,
  registerKernel,
  tidy,
} from "@tsnpu/tensor";
import { Module, compile } from "@tsnpu/nn";
import { wasm } from "../src/index.js";

afterEach(() => wasm.shutdown());

/** An op whose kernels return their input as is: a result outside its planned place. */
const aliasOp = defineOp({
  name: "test_graph_plan_alias",
  inputs: ["input"],
  meta: ({ input }) => [{ shape: (input as Tensor).shape, dtype: (input as Tensor).dtype }],
});
for (const device of ["cpu", "wasm"])
  registerKernel(aliasOp, device, { run: ({ input }) => [input as Tensor] });
const alias = (t: Tensor) => dispatch1(aliasOp, { input: t }, {});

class Net extends Module {
  forward(x: Tensor): Tensor {
    const a = x.mul(2).add(1);
    const at = a.transpose(2, 3); // a view of a planned tensor: a is read through it only
    const s = at.sigmoid(); // its contiguous copy of the view is not s's place
    let t = s;
    for (let i = 0; i < 4; i++) t = t.mul(1.5).add(-0.25); // memory that dies, to be reused
    const c = t.add(at); // a had to stay alive across the chain for its view
    const d = c.reshape([4, 64]); // a view of a planned tensor, made once
    const f = alias(d).mul(3).relu(); // alias's result is copied into its planned place
    // A view of an intermediate, a planned tensor returned as is, a 0-d result.
    return [f.reshape([1, 4, 8, 8]), alias(c.add(1)), f.sum()] as unknown as Tensor;
  }
}

const values = (outs: Tensor[]) => outs.map((o) => o.cpu().tolist());

it("replays with planned intermediates give eager cpu's values; held outputs survive later replays", async () => {
  await wasm.ready({ numThreads: 1 });
  const net = new Net();
  const inputs = [1, 2].map(() => randn([1, 4, 8, 8], { dtype: float32 }));
  const expected = inputs.map((x) => tidy(() => values(net.forward(x) as unknown as Tensor[])));
  expect(expected[0]).not.toEqual(expected[1]);
  const run = compile(net, { backend: wasm.backend() });
  const held = run(inputs[0]!.to("wasm")) as unknown as Tensor[];
  const second = run(inputs[1]!.to("wasm")) as unknown as Tensor[];
  expect(values(second)).toEqual(expected[1]);
  expect(values(held)).toEqual(expected[0]);
  for (let i = 0; i < 3; i++)
    expect(tidy(() => values(run(inputs[i % 2]!.to("wasm")) as unknown as Tensor[]))).toEqual(
      expected[i % 2],
    );
  const graph = [...run.graphs.values()][0]!;
  const plan = graph.bufferPlan;
  expect(plan.buffers).toBeGreaterThanOrEqual(10);
  expect(plan.arenaBytes).toBeLessThan(plan.plannedBytes / 2);
  // Two per replay, both from the alias op: sigmoid's contiguous copy never took s's place.
  expect(plan.copies).toBe(2 * 5);
});

it("a replay allocates only its outputs; dispose frees the arena; later calls throw DisposedError", async () => {
  await wasm.ready({ numThreads: 1 });
  const x = randn([1, 4, 8, 8], { dtype: float32 }).to("wasm");
  const before = wasm.memory();
  const run = compile(new Net(), { backend: wasm.backend() });
  tidy(() => {
    run(x);
  });
  const start = wasm.memory();
  const outputs = tidy(() => run(x) as unknown as Tensor[]);
  expect(wasm.memory().liveTensors).toBe(start.liveTensors + 3);
  for (const o of outputs) o.dispose();
  for (let i = 0; i < 20; i++)
    tidy(() => {
      run(x);
    });
  expect(wasm.memory().allocatedBytes).toBe(start.allocatedBytes);
  expect(wasm.memory().liveTensors).toBe(start.liveTensors);
  run.dispose();
  expect(wasm.memory().allocatedBytes).toBe(before.allocatedBytes);
  expect(wasm.memory().liveTensors).toBe(before.liveTensors);
  expect(() => run(x)).toThrow(DisposedError);
});

/** Cats whose inputs a replay may compute in their place (BlazeFace's channel padding), and some it may not. */
class CatNet extends Module {
  constructor(private readonly batch: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    const n = this.batch;
    const pooled = maxPool2d(x.mul(2), 2); // read by the cat only: in place
    const padded = cat([pooled, zeros([n, 3, 4, 4], { device: x.device })], 1);
    const kept = padded.add(1); // read by the next cat and after it: copied
    const both = cat([kept.relu(), kept, padded.sigmoid()], 1); // returned: nothing in place
    const again = cat([both.mul(3), both.mul(3).neg()], 2); // channels before H: no runs, copied
    // add, sub and again in place; the inner cat (holding inputs in place itself) copied.
    const nested = cat([cat([again.add(1), again.sub(1)], 1), again], 1);
    return [nested.add(kept.sum()), both] as unknown as Tensor;
  }
}

it("cat inputs computed in place in the cat's result give eager cpu's values, and only where allowed", async () => {
  await wasm.ready({ numThreads: 1 });
  for (const [batch, inCat] of [
    [1, 4],
    [2, 0], // a batch of 2: no input's part of a result is one run
  ] as const) {
    const net = new CatNet(batch);
    const inputs = [1, 2].map(() => randn([batch, 4, 8, 8], { dtype: float32 }));
    const expected = inputs.map((x) => tidy(() => values(net.forward(x) as unknown as Tensor[])));
    const run = compile(net, { backend: wasm.backend() });
    for (let i = 0; i < 4; i++)
      expect(tidy(() => values(run(inputs[i % 2]!.to("wasm")) as unknown as Tensor[]))).toEqual(
        expected[i % 2],
      );
    const graph = [...run.graphs.values()][0]!;
    expect(graph.bufferPlan.inCat, `batch ${batch}`).toBe(inCat);
    expect(graph.bufferPlan.copies).toBe(0);
    run.dispose();
  }
});

/**
 * early is computed in place in late, long before late: late's memory must be reserved from
 * early on, or the intermediates between (dead before late) are placed over early. late is the
 * largest buffer, so the planner puts it at offset 0, where they would go.
 */
class LateCat extends Module {
  forward(x: Tensor): Tensor {
    const early = x.mul(2);
    let between = x.add(1);
    for (let i = 0; i < 4; i++) between = between.mul(1.5).add(0.5);
    const late = cat([early, between.relu(), x.sub(1), x.add(2)], 1);
    return late.mul(2).sum();
  }
}

it("a cat's memory is reserved from its first input computed in place on", async () => {
  await wasm.ready({ numThreads: 1 });
  const net = new LateCat();
  const x = randn([1, 4, 8, 8], { dtype: float32 });
  const run = compile(net, { backend: wasm.backend() });
  expect(values([run(x.to("wasm")) as unknown as Tensor])).toEqual(values([net.forward(x)]));
  expect([...run.graphs.values()][0]!.bufferPlan.inCat).toBe(4);
  run.dispose();
});
