// The digit pad: strokes drawn with a pointer (mouse, touch, pen), then the MNIST CNN in float32
// and int8 on the wasm device and on the simulated NPU, probabilities as bars, time per backend.
import * as torch from "tsnpu";
import { MNIST_CNN, mnistCnnUrl, mnistFromImage, mnistInput, softmax } from "tsnpu/models";
import { type OnnxModule, loadOnnx } from "tsnpu/onnx";
import { loadQuantized } from "tsnpu/quantization";
import mnistInt8Url from "./generated/mnist-int8.safetensors?url";
import { fetchBytes, hostFloats, timed } from "./runtime.js";

interface Backend {
  readonly label: string;
  readonly precision: "float32" | "int8";
  readonly device: "wasm" | "npu";
  readonly model: OnnxModule;
}

async function loadBackends(): Promise<Backend[]> {
  const shapes = { inputShapes: { [MNIST_CNN.input]: [1, 1, 28, 28] } };
  const int8Bytes = await fetchBytes(mnistInt8Url);
  const backends: Backend[] = [];
  for (const device of ["wasm", "npu"] as const) {
    const float = await loadOnnx(mnistCnnUrl(), shapes);
    const int8 = loadQuantized(int8Bytes) as OnnxModule;
    backends.push(
      { label: `float32 · ${device}`, precision: "float32", device, model: float.to(device) },
      { label: `int8 · ${device}`, precision: "int8", device, model: int8.to(device) },
    );
  }
  return backends;
}

interface Run {
  readonly backend: Backend;
  readonly probabilities: Float32Array;
  readonly label: number;
  readonly ms: number;
  /** The simulator's modelled time of the ops the npu ran (npu backends only). */
  readonly modelledUs: number | null;
  /** How many ops the npu ran (the others fell back to the cpu). */
  readonly npuOps: number;
}

function classify(backend: Backend, digit: Float32Array): Run {
  const dtype = backend.precision === "int8" ? torch.float16 : torch.float32;
  const forward = () =>
    torch.tidy(() =>
      hostFloats(backend.model.run(mnistInput(digit).to(dtype).to(backend.device))[0]!),
    );
  let modelledUs: number | null = null;
  let npuOps = 0;
  const { result: logits, ms } = timed(() => {
    if (backend.device !== "npu") return forward();
    const { result, profile } = torch.npu.profile(forward);
    modelledUs = profile.microseconds;
    npuOps = profile.ops.length;
    return result;
  });
  const probabilities = softmax(logits);
  const label = probabilities.indexOf(Math.max(...probabilities));
  return { backend, probabilities, label, ms, modelledUs, npuOps };
}

function renderBars(container: HTMLElement, float: Run, int8: Run): void {
  const rows = Array.from({ length: 10 }, (_, d) => {
    const bar = (run: Run, cls: string) => {
      const p = run.probabilities[d]!;
      return `<span class="bar ${cls}" style="width:${(p * 100).toFixed(1)}%" title="${run.backend.precision} ${(p * 100).toFixed(1)} %"></span>`;
    };
    return `<div class="digit-row"><span class="digit">${d}</span><span class="bars">${bar(float, "float")}${bar(int8, "int8")}</span><span class="pct">${(float.probabilities[d]! * 100).toFixed(0)} / ${(int8.probabilities[d]! * 100).toFixed(0)} %</span></div>`;
  });
  container.innerHTML = `<p class="legend"><span class="swatch float"></span>float32 <span class="swatch int8"></span>int8 (probability per digit, wasm)</p>${rows.join("")}`;
}

const modelled = (r: Run): string =>
  r.modelledUs === null
    ? "—"
    : r.npuOps === 0
      ? "none: no float32 npu kernels yet, the ops ran on the cpu"
      : `${r.modelledUs.toFixed(1)} µs (${r.npuOps} npu ops)`;

function renderTimes(table: HTMLTableElement, runs: readonly Run[]): void {
  const rows = runs.map(
    (r) =>
      `<tr><td>${r.backend.label}</td><td>${r.label}</td><td>${r.ms.toFixed(1)} ms</td><td>${modelled(r)}</td></tr>`,
  );
  table.innerHTML = `<thead><tr><th>backend</th><th>digit</th><th>time in the page</th><th>modelled NPU time [est]</th></tr></thead><tbody>${rows.join("")}</tbody>`;
}

/** Wires the pad, the clear button and the results. */
export async function setUpDigits(): Promise<void> {
  const pad = document.getElementById("pad") as HTMLCanvasElement;
  const clear = document.getElementById("clear") as HTMLButtonElement;
  const result = document.getElementById("digit-result") as HTMLElement;
  const summary = document.getElementById("digit-summary") as HTMLElement;
  const ctx = pad.getContext("2d", { willReadFrequently: true })!;
  const backends = await loadBackends();
  let drawn = false;
  let runs = 0;

  const wipe = () => {
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, pad.width, pad.height);
    drawn = false;
  };
  wipe();
  ctx.strokeStyle = "#fff";
  ctx.lineWidth = 20;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";

  const at = (e: PointerEvent): [number, number] => {
    const r = pad.getBoundingClientRect();
    return [
      ((e.clientX - r.left) * pad.width) / r.width,
      ((e.clientY - r.top) * pad.height) / r.height,
    ];
  };
  pad.addEventListener("pointerdown", (e) => {
    pad.setPointerCapture(e.pointerId);
    const [x, y] = at(e);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x, y);
    ctx.stroke();
    drawn = true;
  });
  pad.addEventListener("pointermove", (e) => {
    if (!pad.hasPointerCapture(e.pointerId)) return;
    const [x, y] = at(e);
    ctx.lineTo(x, y);
    ctx.stroke();
  });
  pad.addEventListener("pointerup", () => {
    if (!drawn) return;
    const digit = mnistFromImage(ctx.getImageData(0, 0, pad.width, pad.height));
    const all = backends.map((b) => classify(b, digit));
    const [float, int8] = [all[0]!, all[1]!];
    renderBars(document.getElementById("digit-bars")!, float, int8);
    renderTimes(document.getElementById("digit-times") as HTMLTableElement, all);
    summary.textContent = `float32 says ${float.label}, int8 says ${int8.label}.`;
    result.dataset.float = String(float.label);
    result.dataset.int8 = String(int8.label);
    result.dataset.agree = String(
      all.every((r) => r.label === all[r.backend.precision === "int8" ? 1 : 0]!.label),
    );
    result.dataset.runs = String(++runs);
  });
  clear.addEventListener("click", () => {
    wipe();
    summary.textContent = "Draw a digit (0–9) on the pad.";
  });
  summary.textContent =
    "Draw a digit (0–9) on the pad; it is classified when you lift the pointer.";
  result.dataset.ready = "true";
}
