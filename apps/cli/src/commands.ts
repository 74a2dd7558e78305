// The tsnpu commands. Each returns the text to print, so tests can check it without a process.

import * as torch from "tsnpu";
import { QuantConv2d } from "tsnpu/contrib";
import { sim } from "@tsnpu/backend-npu-sim";
import type { ConvShape } from "./shape.js";

type SocName = ReturnType<typeof sim.socNames>[number];

function socsFrom(option: string | undefined): SocName[] {
  if (option === undefined || option === "all") return sim.socNames();
  if (!(sim.socNames() as string[]).includes(option))
    throw new Error(`--soc must be one of ${sim.socNames().join(", ")} or all, got "${option}"`);
  return [option as SocName];
}

/** Backends, devices and the simulated products with their headline figures. */
export function info(): string {
  const rows = sim.socNames().map((name) => {
    const s = sim.getSoc(name);
    return `  ${name.padEnd(13)} ${s.family.padEnd(36)} ${String(s.cubeCores.value).padStart(2)} cores [${s.cubeCores.tag}]  ${s.clockGHz.value} GHz [${s.clockGHz.tag}]  peak ${sim.peakInt8Tops(s).toFixed(0)} int8 TOPS`;
  });
  return [
    `backends: ${torch.registeredBackends().join(", ")}`,
    `npu devices: npu:0 .. npu:${torch.npu.deviceCount() - 1} (simulated; default product ${sim.DEFAULT_SOC})`,
    "products:",
    ...rows,
  ].join("\n");
}

function quantModel(s: ConvShape, device: string) {
  const model = new QuantConv2d(s.cin, s.cout, s.k, torch.float16, {
    stride: s.stride,
    padding: s.pad,
    dilation: s.dilation,
  }).to(device);
  model.weight.data = torch.randint(-128, 128, [s.cout, s.cin, s.k, s.k], {
    dtype: torch.int8,
    device,
  });
  model.scale.data = torch.rand([s.cout]).mul(1e-3).to(device);
  model.bias!.data = torch.randint(-1000, 1000, [s.cout], { dtype: torch.int32, device });
  return model;
}

/** Runs one QuantConv2d per product in graph mode and prints the simulator's profile. */
export function profile(s: ConvShape, options: { soc?: string; json?: boolean }): string {
  const out: string[] = [];
  const json: unknown[] = [];
  socsFrom(options.soc).forEach((soc, index) => {
    torch.npu.setDevice(index, { soc });
    const device = `npu:${index}`;
    const model = torch.compile(quantModel(s, device), { backend: torch.npu.backend() });
    const x = torch.randint(-128, 128, [s.n, s.cin, s.h, s.w], { dtype: torch.int8, device });
    try {
      const { profile: p } = torch.npu.profile(() => model(x));
      if (options.json) json.push({ soc, ...p.toJSON() });
      else out.push(p.table(), "");
    } catch (e) {
      if (!(e instanceof torch.UnsupportedError)) throw e;
      if (options.json) json.push({ soc, refused: e.message });
      else out.push(`${soc}: refused: ${e.message}`, "");
    }
  });
  torch.npu.setDevice(0);
  return options.json ? JSON.stringify(json, null, 2) : out.join("\n").trimEnd();
}

/** Whether each product accepts the shape, with the rule it breaks. */
export function check(s: ConvShape, options: { soc?: string }): string {
  const g = torch.quantConv2dGeometry({
    n: s.n,
    cin: s.cin,
    h: s.h,
    w: s.w,
    cout: s.cout,
    kh: s.k,
    kw: s.k,
    strideH: s.stride,
    strideW: s.stride,
    padH: s.pad,
    padW: s.pad,
    dilationH: s.dilation,
    dilationW: s.dilation,
    offsetX: 0,
  });
  return socsFrom(options.soc)
    .map((soc) => {
      const refusal = sim.checkQuantConv2dSupported(sim.getSoc(soc), g);
      return `${soc.padEnd(13)} ${refusal ? `refused: ${refusal.message}` : `supported (output ${s.n}x${s.cout}x${g.hOut}x${g.wOut})`}`;
    })
    .join("\n");
}
