import * as torch from "tsnpu";
import { loadOnnx } from "tsnpu/onnx";
import { quantize } from "tsnpu/quantization";
import { NETWORKS } from "./int8-network-process.js";
for (const ni of [0, 1]) {
  const net = NETWORKS[ni]!;
  const bytes = await net.bytes();
  const calibration = [1, 2].map((k) => torch.keep(torch.tensor(net.input(k)).reshape([...net.shape])));
  const r = await quantize(await loadOnnx(bytes), calibration);
  console.log(String(r.report).split("\n").slice(0, 12).join("\n"));
}
process.exit(0);
