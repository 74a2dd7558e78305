// tsnpu info: backends, devices and the simulated products with their headline figures.
import { sim } from "@tsnpu/backend-npu-sim";
import * as torch from "tsnpu";
import type { CommandRun } from "../cli/spec.js";

export const run: CommandRun = (_args, io) => {
  const rows = sim.socNames().map((name) => {
    const s = sim.getSoc(name);
    return `  ${name.padEnd(13)} ${s.family.padEnd(36)} ${String(s.cubeCores.value).padStart(2)} cores [${s.cubeCores.tag}]  ${s.clockGHz.value} GHz [${s.clockGHz.tag}]  peak ${sim.peakInt8Tops(s).toFixed(0)} int8 TOPS`;
  });
  io.out(
    [
      `backends: ${torch.registeredBackends().join(", ")}`,
      `npu devices: npu:0 .. npu:${torch.npu.deviceCount() - 1} (simulated; default product ${sim.DEFAULT_SOC})`,
      "products:",
      ...rows,
    ].join("\n"),
  );
  return 0;
};
