// `pnpm bench memory [--calls=N]`: wasm memory over long synchronous loops (issue 12). Not a
// timing: it prints the allocator's figures (wasm.memory()) at the start and end of each loop,
// which must stay flat (within 1 MiB) for as many iterations as you run.
//   1. eager QuantConv2d (N1 C16 32x32 -> 16, k3 p1), a new input each call, each call in tidy()
//   2. the same with a permuted (non-contiguous) input
//   3. the same compiled, with the permuted input (graph replay copies it to a temporary)
//   4. a new module + weight each iteration, one call, then module.dispose()

import * as torch from "tsnpu";
import { QuantConv2d } from "tsnpu/contrib";
import { formatTable } from "./measure.js";

const MiB = 1024 * 1024;

/** A wasm QuantConv2d 16 -> 16, k3 p1 with seeded weights; what tidy() does not return is freed. */
function makeModule(): QuantConv2d {
  return torch.tidy(() => {
    const m = new QuantConv2d(16, 16, 3, torch.float16, { padding: 1 }).to("wasm");
    m.weight.data = torch.randint(-8, 8, [16, 16, 3, 3], { dtype: torch.int8, device: "wasm" });
    m.scale.data = torch.npuTransQuantParam(torch.full([16], 0.01)).to("wasm");
    return m;
  });
}

const contiguousInput = () =>
  torch.randint(-8, 8, [1, 16, 32, 32], { dtype: torch.int8, device: "wasm" });
const permutedInput = () =>
  torch.randint(-8, 8, [1, 32, 32, 16], { dtype: torch.int8, device: "wasm" }).permute(0, 3, 1, 2);

interface Loop {
  readonly name: string;
  readonly setup: () => { step: () => void; teardown: () => void };
}

const loops: Loop[] = [
  {
    name: "eager QuantConv2d in tidy, new input",
    setup: () => {
      const m = makeModule();
      return {
        step: () => torch.tidy(() => void m.forward(contiguousInput())),
        teardown: () => m.dispose(),
      };
    },
  },
  {
    name: "eager QuantConv2d in tidy, new permuted input",
    setup: () => {
      const m = makeModule();
      return {
        step: () => torch.tidy(() => void m.forward(permutedInput())),
        teardown: () => m.dispose(),
      };
    },
  },
  {
    name: "compiled QuantConv2d in tidy, new permuted input",
    setup: () => {
      const m = makeModule();
      const run = torch.compile(m, { backend: torch.wasm.backend() });
      return {
        step: () => torch.tidy(() => void run(permutedInput())),
        teardown: () => m.dispose(),
      };
    },
  },
  {
    name: "new module + weight, one call, dispose",
    setup: () => {
      const x = contiguousInput();
      const step = () => {
        const m = makeModule();
        torch.tidy(() => void m.forward(x));
        m.dispose();
      };
      return { step, teardown: () => x.dispose() };
    },
  },
];

export async function runMemoryBench(
  calls: number,
  log: (line: string) => void = console.log,
): Promise<void> {
  await torch.wasm.ready({ numThreads: 1 });
  const rows: string[][] = [];
  for (const loop of loops) {
    const { step, teardown } = loop.setup();
    step(); // first call: packs weights, sizes the scratch
    const start = torch.wasm.memory();
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) step();
    const seconds = (performance.now() - t0) / 1000;
    const end = torch.wasm.memory();
    teardown();
    const growth = end.allocatedBytes - start.allocatedBytes;
    rows.push([
      loop.name,
      String(calls),
      (start.allocatedBytes / MiB).toFixed(3),
      (end.allocatedBytes / MiB).toFixed(3),
      String(growth),
      `${start.liveTensors} -> ${end.liveTensors}`,
      `${start.packedWeights} -> ${end.packedWeights}`,
      (end.heapBytes / MiB).toFixed(1),
      seconds.toFixed(1),
      Math.abs(growth) <= MiB ? "flat" : "GROWS",
    ]);
  }
  log(`wasm memory over synchronous loops (1 thread; bar: allocated bytes flat within 1 MiB)`);
  log(
    formatTable(
      [
        "loop",
        "iterations",
        "allocated start MiB",
        "end MiB",
        "growth bytes",
        "live tensors",
        "packed weights",
        "heap MiB",
        "s",
        "verdict",
      ],
      rows,
      1,
    ),
  );
  torch.wasm.shutdown();
}
