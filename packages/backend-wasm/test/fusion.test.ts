// Graph fusion on wasm (src/kernels/fused-quant-conv2d.ts through tensor's dispatch/fuse.ts):
// QuantConv2d -> relu/clamp -> npu_quantize -> QuantConv2d chains give, compiled and fused, the
// bits of the same graph run node by node (eager) and of the cpu; a chain whose intermediate is
// read twice, or is a graph output, is not fused.
import { beforeAll, describe, expect, it } from "vitest";
import "@tsnpu/backend-cpu";
import "../src/register.js";
import { seededRandom } from "@tsnpu/conformance";
import {
  Graph,
  clamp,
  float16,
  float32,
  int32,
  int64,
  int8,
  npuQuantConv2d,
  npuQuantize,
  relu,
  tensor,
  uint8,
  type DType,
  type Tensor,
} from "@tsnpu/tensor";
import { ready } from "../src/backend.js";

beforeAll(async () => {
  await ready({ numThreads: 1 });
});

interface Layer {
  readonly weight: Int8Array;
  readonly scale: BigInt64Array;
  readonly bias: Int32Array;
  readonly cout: number;
  readonly k: number;
}

function randomLayer(r: () => number, cin: number, cout: number, k: number): Layer {
  const scale = new Float32Array(cout).map(() => 2 ** -(6 + Math.floor(r() * 6)) * (1 + r()));
  const words = new Uint32Array(scale.buffer);
  return {
    weight: Int8Array.from({ length: cout * cin * k * k }, () => Math.floor(r() * 256) - 128),
    scale: BigInt64Array.from(words, (w) => BigInt((w & 0xffffe000) >>> 0) | (1n << 46n)),
    bias: Int32Array.from({ length: cout }, () => Math.floor(r() * 4000) - 2000),
    cout,
    k,
  };
}

const onDevice = (t: Tensor, device: string) => t.to(device);

/** conv -> activation -> quantize -> conv, with every parameter on `device`. */
function network(
  layers: [Layer, Layer],
  cin: number,
  act: "relu" | "clamp" | "none",
  q: { scales: Float32Array; zeroPoints: Int8Array | Uint8Array | null; dtype: DType },
  device: string,
) {
  const t = (
    data: Int8Array | Int32Array | BigInt64Array | Float32Array | Uint8Array,
    dtype: DType,
  ) => onDevice(tensor(data, { dtype }), device);
  const conv = (x: Tensor, l: Layer, c: number) =>
    npuQuantConv2d(x, t(l.weight, int8).reshape([l.cout, c, l.k, l.k]), t(l.scale, int64), {
      outputDtype: float16,
      pads: [l.k >> 1, l.k >> 1],
      bias: t(l.bias, int32),
      offsetX: q.dtype === uint8 ? 0 : 0,
    });
  const scales = t(q.scales, float32);
  const zp = q.zeroPoints
    ? t(q.zeroPoints, q.zeroPoints instanceof Uint8Array ? uint8 : int8)
    : null;
  return (x: Tensor) => {
    let y = conv(x, layers[0], cin);
    if (act === "relu") y = relu(y);
    if (act === "clamp") y = clamp(y, -3.3, 70.1);
    const xq = npuQuantize(y, scales, zp, int8);
    return conv(xq, layers[1], layers[0].cout);
  };
}

const bits = (t: Tensor) => [...(t.cpu().toTypedArray() as Uint16Array)];

describe("fused QuantConv2d -> relu/clamp -> npu_quantize on wasm", () => {
  const r = seededRandom(16);
  for (let i = 0; i < 9; i++) {
    const act = (["relu", "clamp", "none"] as const)[i % 3]!;
    const [n, cin, h, w] = [
      1 + (i % 2),
      3 + Math.floor(r() * 12),
      4 + Math.floor(r() * 9),
      3 + Math.floor(r() * 9),
    ];
    const c1 = 1 + Math.floor(r() * 20);
    const layers: [Layer, Layer] = [
      randomLayer(r, cin, c1, 3),
      randomLayer(r, c1, 1 + Math.floor(r() * 8), 1 + 2 * (i % 2)),
    ];
    const perTensor = i % 4 === 3;
    const q = {
      scales: Float32Array.from({ length: perTensor ? 1 : c1 }, () => 0.02 + r() * 0.5),
      zeroPoints:
        i % 5 === 4
          ? null
          : Int8Array.from({ length: perTensor ? 1 : c1 }, () => Math.floor(r() * 20) - 10),
      dtype: int8,
    };
    it(`#${i}: N${n} C${cin} ${h}x${w} -> ${c1} (${act}) -> int8 -> ${layers[1].cout}${perTensor ? ", per-tensor" : ""}`, () => {
      const input = Int8Array.from({ length: n * cin * h * w }, () => Math.floor(r() * 256) - 128);
      const x = (device: string) =>
        tensor(input, { dtype: int8 }).reshape([n, cin, h, w]).to(device);
      const wasmNet = network(layers, cin, act, q, "wasm");
      const graph = Graph.trace(wasmNet, [x("wasm")]);
      expect(graph.fused.map((f) => f.ops)).toEqual([
        act === "none"
          ? ["npu_quant_conv2d", "npu_quantize"]
          : ["npu_quant_conv2d", act, "npu_quantize"],
      ]);
      const fused = bits(graph.run(x("wasm")) as Tensor);
      expect(bits(graph.run(x("wasm")) as Tensor)).toEqual(fused); // a replay gives the same
      expect(fused).toEqual(bits(wasmNet(x("wasm")))); // eager: node by node
      expect(fused).toEqual(bits(network(layers, cin, act, q, "cpu")(x("cpu"))));
      graph.dispose();
    });
  }

  it("does not fuse when the intermediate is read twice or is a graph output", () => {
    const r2 = seededRandom(7);
    const layer = randomLayer(r2, 4, 6, 3);
    const input = Int8Array.from({ length: 4 * 5 * 5 }, () => Math.floor(r2() * 256) - 128);
    const x = tensor(input, { dtype: int8 }).reshape([1, 4, 5, 5]).to("wasm");
    const t = (data: Int8Array | Int32Array | BigInt64Array | Float32Array, dtype: DType) =>
      tensor(data, { dtype }).to("wasm");
    const conv = (v: Tensor) =>
      npuQuantConv2d(v, t(layer.weight, int8).reshape([6, 4, 3, 3]), t(layer.scale, int64), {
        outputDtype: float16,
        pads: [1, 1],
        bias: t(layer.bias, int32),
      });
    const scales = t(new Float32Array([0.1]), float32);
    const readTwice = (v: Tensor) => {
      const y = relu(conv(v));
      return [npuQuantize(y, scales, null, int8), y.add(1)];
    };
    const outputToo = (v: Tensor) => {
      const y = conv(v);
      return [npuQuantize(y, scales, null, int8), y];
    };
    for (const fn of [readTwice, outputToo]) {
      const graph = Graph.trace(fn, [x]);
      expect(graph.fused).toEqual([]);
      const got = (graph.run(x) as Tensor[]).map((o) => [
        ...(o.cpu().toTypedArray() as Int8Array | Uint16Array),
      ]);
      const want = fn(x).map((o) => [...(o.cpu().toTypedArray() as Int8Array | Uint16Array)]);
      expect(got).toEqual(want);
      graph.dispose();
    }
  });
});
