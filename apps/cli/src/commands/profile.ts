// tsnpu profile --shape: one QuantConv2d per product in graph mode, the simulator's profile.
import { writeFileSync } from "node:fs";
import type { Profile } from "@tsnpu/backend-npu-sim";
import * as torch from "tsnpu";
import { EXIT_FAILED, EXIT_OK } from "../cli/errors.js";
import type { CommandRun } from "../cli/spec.js";
import { shapeGeometry } from "../geometry.js";
import { quantInput, quantModel } from "../quant-model.js";
import { type ConvShape, requiredShape } from "../shape.js";
import { type SocName, socsFrom } from "../socs.js";
import { chromeTrace } from "../trace.js";

type Outcome = { soc: string; profile: Profile } | { soc: string; refused: string };

function profileOn(s: ConvShape, soc: SocName, index: number): Outcome {
  torch.npu.setDevice(index, { soc });
  const device = `npu:${index}`;
  const model = torch.compile(quantModel(s, device), { backend: torch.npu.backend() });
  const x = quantInput(s, device);
  try {
    return { soc, profile: torch.npu.profile(() => model(x)).profile };
  } catch (e) {
    if (!(e instanceof torch.UnsupportedError)) throw e;
    return { soc, refused: e.message };
  } finally {
    model.dispose();
  }
}

export const run: CommandRun = ({ values }, io) => {
  const s = requiredShape(values.shape);
  shapeGeometry(s);
  const socs = socsFrom(values.soc);
  const outcomes = socs.map((soc, index) => profileOn(s, soc, index));
  torch.npu.setDevice(0);
  if (typeof values.trace === "string") {
    const runs = outcomes.flatMap((o) =>
      "profile" in o ? [{ soc: o.soc, ops: o.profile.ops }] : [],
    );
    writeFileSync(values.trace, `${JSON.stringify(chromeTrace(runs))}\n`);
  }
  if (values.json) {
    const json = outcomes.map((o) =>
      "profile" in o ? { soc: o.soc, ...o.profile.toJSON() } : { soc: o.soc, refused: o.refused },
    );
    io.out(JSON.stringify(json, null, 2));
  } else {
    const blocks = outcomes.map((o) =>
      "profile" in o ? o.profile.table() : `${o.soc}: ${io.style.red(`refused: ${o.refused}`)}`,
    );
    io.out(blocks.join("\n\n"));
  }
  return outcomes.some((o) => "profile" in o) ? EXIT_OK : EXIT_FAILED;
};
