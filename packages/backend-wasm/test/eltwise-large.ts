// Large element-wise calls (the sizes that take the 16-wide fast paths and, with two threads,
// the worker pool: src/kernels/pool-calls.ts) on "wasm" against the cpu, bit for bit: add, sub,
// mul, div of same-shape, broadcast and strided operands; relu; per-tensor npu_quantize;
// 2x2 max_pool2d; float32 <-> float16 casts; and the fused add -> relu graph step. Values are
// plain with sparse specials (NaN payloads, infinities, -0, float16 subnormals), so most
// vectors take the fast lanes and some the general ones.
import { describe, expect, it } from "vitest";
import { seededRandom } from "@tsnpu/conformance";
import {
  Graph,
  add,
  asStrided,
  cat,
  constantPadNd,
  div,
  float16,
  float32,
  int32,
  int8,
  maxPool2d,
  mul,
  npuQuantize,
  relu,
  sub,
  tensor,
  uint8,
  type DType,
  type Tensor,
} from "@tsnpu/tensor";
import {
  bytes,
  expectSameAsCpu,
  int,
  pick,
  randomTensor,
  sparseValues,
  type Rnd,
  values,
} from "./ops-helpers.js";

/** A large NCHW shape: 8k to 150k elements, widths odd and even. */
const bigShape = (rnd: Rnd) => [1, int(rnd, 3, 24), int(rnd, 20, 80), int(rnd, 20, 81)];

const sparse = (rnd: Rnd) => sparseValues(pick(rnd, [0, 0.0005, 0.02]));

export function describeLargeEltwise(threads: number): void {
  describe(`large element-wise calls on ${threads} thread(s) equal the cpu bit for bit`, () => {
    for (const [name, op] of [
      ["add", add],
      ["sub", sub],
      ["mul", mul],
      ["div", div],
    ] as const) {
      it(`${name}: float16 and float32, same shape, broadcast and strided`, () => {
        const rnd = seededRandom(9000 + name.length);
        for (let c = 0; c < 6; c++) {
          const dtype = c % 3 === 2 ? float32 : float16;
          const shape = bigShape(rnd);
          const a = randomTensor(rnd, dtype, shape, sparse(rnd));
          const b =
            c % 2 === 0
              ? randomTensor(rnd, dtype, shape, sparse(rnd))
              : randomTensor(rnd, dtype, [1, shape[1]!, 1, shape[3]!], sparse(rnd));
          expectSameAsCpu(`case ${c} ${dtype.name} ${shape}`, (x, y) => op(x, y), a, b);
        }
      });
    }

    it("relu, 2x2 max_pool2d, float32 <-> float16 casts", () => {
      const rnd = seededRandom(9100);
      for (let c = 0; c < 6; c++) {
        const dtype = c % 3 === 2 ? float32 : float16;
        const x = randomTensor(rnd, dtype, bigShape(rnd), sparse(rnd));
        expectSameAsCpu(`relu ${c}`, relu, x);
        expectSameAsCpu(`max_pool2d ${c}`, (t) => maxPool2d(t, 2, { stride: 2 }), x);
        const other = dtype === float16 ? float32 : float16;
        expectSameAsCpu(`cast ${c}`, (t) => t.to(other), x);
      }
    });

    it("per-tensor npu_quantize of float16 to int8 and uint8, both div modes", () => {
      const rnd = seededRandom(9200);
      for (let c = 0; c < 8; c++) {
        const dtype = c % 2 === 0 ? int8 : uint8;
        const divMode = c % 4 < 2 || dtype === uint8;
        const x = randomTensor(rnd, float16, bigShape(rnd), sparse(rnd));
        const scale = tensor([pick(rnd, [0.02, 0.5, 1e-3, 3])], { dtype: float32 });
        // divMode false takes float32 zero points: integral or not (the fast lanes want integral).
        const z = int(rnd, 0, 20);
        const zp =
          int(rnd, 0, 3) === 0
            ? null
            : divMode
              ? tensor([z], { dtype })
              : tensor([pick(rnd, [z, z + 0.5, -3.25])], { dtype: float32 });
        const q = (t: Tensor) =>
          npuQuantize(t, scale.to(t.device), zp?.to(t.device) ?? null, dtype, { divMode });
        expectSameAsCpu(`case ${c} ${dtype.name} divMode ${divMode}`, q, x);
      }
    });

    it("constant_pad_nd: plane pads (the wasm copy), and others (the host kernel)", () => {
      const rnd = seededRandom(9400);
      for (let c = 0; c < 8; c++) {
        const dtype = pick(rnd, [float16, float32, int8]);
        const x =
          dtype === int8
            ? randomTensor(rnd, dtype, bigShape(rnd))
            : randomTensor(rnd, dtype, bigShape(rnd), sparse(rnd));
        const pad = Array.from({ length: c < 6 ? 4 : 6 }, () => int(rnd, c === 5 ? -2 : 0, 3));
        const value = c === 4 ? -Infinity : c === 3 ? -0 : 0;
        expectSameAsCpu(
          `case ${c} ${dtype.name} [${pad}] ${value}`,
          (t) => constantPadNd(t, pad, dtype === int8 ? 0 : value),
          x,
        );
      }
    });

    it("constant_pad_nd of int8 and uint8 with non-zero pad values (a quantized zero point)", () => {
      const rnd = seededRandom(9450);
      for (let c = 0; c < 8; c++) {
        const dtype = c % 2 === 0 ? int8 : uint8;
        const x = randomTensor(rnd, dtype, bigShape(rnd)).contiguous();
        const pad = [int(rnd, 0, 3), int(rnd, 0, 3), int(rnd, 0, 3), int(rnd, 0, 3)];
        const value =
          dtype === int8 ? pick(rnd, [-128, -1, -37, 5, 127]) : pick(rnd, [1, 128, 200, 255]);
        expectSameAsCpu(
          `case ${c} ${dtype.name} [${pad}] ${value}`,
          (t) => constantPadNd(t, pad, value),
          x,
        );
      }
    });

    /** A random permutation of `n` dims. */
    const permutation = (rnd: Rnd, n: number) => {
      const dims = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = int(rnd, 0, i);
        [dims[i], dims[j]] = [dims[j]!, dims[i]!];
      }
      return dims;
    };
    /** A strided view of contiguous `t` (on its device): permuted, narrowed, or a broadcast dim. */
    const randomView = (rnd: Rnd, t: Tensor, kind: number): Tensor => {
      if (kind === 0) return t.permute(permutation(rnd, t.ndim));
      if (kind === 1) {
        const d = int(rnd, 0, t.ndim - 1);
        const start = int(rnd, 0, t.shape[d]! - 1);
        return t.narrow(d, start, int(rnd, 1, t.shape[d]! - start));
      }
      // A size-3 dim with stride 0 in front: every element read three times.
      return asStrided(t, [3, ...t.shape], [0, ...t.strides]);
    };
    const copyDTypes: DType[] = [float16, float32, int8, int32];
    /** 1 to `dims` dims of 1 to `size` elements each. */
    const smallShape = (rnd: Rnd, dims: number, size: number) =>
      Array.from({ length: int(rnd, 1, dims) }, () => int(rnd, 1, size));
    const copyInput = (rnd: Rnd, dtype: DType, shape: number[]) =>
      tensor(
        values(
          rnd,
          dtype,
          shape.reduce((a, b) => a * b, 1),
        ),
        { dtype },
      ).reshape(shape);

    it("copy (contiguous()) of permuted, narrowed and broadcast views, 1-6 dims, small and large", () => {
      const rnd = seededRandom(9500);
      for (let c = 0; c < 24; c++) {
        const dtype = copyDTypes[c % 4]!;
        const shape = c % 3 === 0 ? bigShape(rnd) : smallShape(rnd, 6, 9);
        const kind = int(rnd, 0, 2);
        const view = (t: Tensor) => randomView(seededRandom(c), t, kind).contiguous();
        expectSameAsCpu(
          `case ${c} ${dtype.name} ${shape} view ${kind}`,
          view,
          copyInput(rnd, dtype, shape),
        );
      }
    });

    it("copy of channels-last images into channels-first planes (the vector gather), every element width", () => {
      const rnd = seededRandom(9550);
      for (let c = 0; c < 30; c++) {
        const dtype = [uint8, float16, float32, int8, int32][c % 5]!;
        const stored = int(rnd, 2, 5); // channels in memory: 3 and 4 take the gather
        // Pixels a plane: tiny, odd, prime past a tile (2053: no tile), and tiled.
        const [h, w] = pick(rnd, [
          [1, 1],
          [1, 7],
          [3, 5],
          [2, 9],
          [17, 31],
          [1, 2053],
          [64, 48],
          [96, 80],
        ]);
        const n = int(rnd, 1, 2) * h * w * stored;
        const gen = dtype === float16 || dtype === float32 ? sparse(rnd) : values;
        const x = tensor(gen(rnd, dtype, n), { dtype }).reshape([-1, h, w, stored]);
        // All channels, or a narrowed run of them (still `stored` apart).
        const from = c % 3 === 0 ? 0 : int(rnd, 0, stored - 1);
        const kept = c % 3 === 0 ? stored : int(rnd, 1, stored - from);
        expectSameAsCpu(
          `case ${c} ${dtype.name} ${x.shape} channels ${from}+${kept}`,
          (t) => t.narrow(3, from, kept).permute(0, 3, 1, 2).contiguous(),
          x,
        );
      }
    });

    it("cat along every dim of contiguous and strided inputs, small and large", () => {
      const rnd = seededRandom(9600);
      for (let c = 0; c < 16; c++) {
        const dtype = copyDTypes[c % 4]!;
        const shape = c % 4 === 0 ? bigShape(rnd) : smallShape(rnd, 5, 7);
        const dim = int(rnd, 0, shape.length - 1);
        const parts = Array.from({ length: int(rnd, 1, 3) }, () => {
          const s = [...shape];
          s[dim] = int(rnd, 0, 5);
          return copyInput(rnd, dtype, s);
        });
        // Some parts transposed on the device (a view into cat), with their dim moved back.
        const last = shape.length - 1;
        const flips = parts.map(() => shape.length >= 2 && int(rnd, 0, 1) === 1);
        const catOf = (...ts: Tensor[]) =>
          cat(
            ts.map((t, i) => (flips[i] ? t.transpose(0, last).contiguous().transpose(0, last) : t)),
            dim,
          );
        expectSameAsCpu(
          `case ${c} ${dtype.name} dim ${dim} ${parts.map((p) => p.shape)}`,
          catOf,
          ...parts,
        );
      }
    });

    it("a compiled add -> relu runs as one fused step with the unfused bits", () => {
      const rnd = seededRandom(9300);
      const shape = [1, 24, 64, 40];
      const a = randomTensor(rnd, float16, shape, sparseValues(0.01));
      const b = randomTensor(rnd, float16, shape, sparseValues(0.01));
      const net = (x: Tensor, y: Tensor) => relu(add(x, y));
      const graph = Graph.trace(net, [a.to("wasm"), b.to("wasm")]);
      expect(graph.fused.map((f) => f.ops)).toEqual([["add", "relu"]]);
      const fused = bytes(graph.run(a.to("wasm"), b.to("wasm")) as Tensor);
      expect(fused).toEqual(bytes(net(a, b)));
      graph.dispose();
    });
  });
}
