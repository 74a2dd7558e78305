// tsnpu profile: the simulator's profile per product, of one QuantConv2d (--shape) or of a whole
// ONNX network (<model.onnx>, one row per layer and a column per product).
import { writeFileSync } from "node:fs";
import { type Profile, sim } from "@tsnpu/backend-npu-sim";
import * as torch from "tsnpu";
import { EXIT_FAILED, EXIT_OK } from "../cli/errors.js";
import type { CommandRun, Values } from "../cli/spec.js";
import type { Io } from "../cli/io.js";
import { shapeGeometry } from "../geometry.js";
import { profileNetwork } from "../network.js";
import { quantInput, quantModel } from "../quant-model.js";
import { type ConvShape, shapeOrModel } from "../shape.js";
import { type SocName, socsFrom } from "../socs.js";

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

const writeTrace = (file: string | boolean | undefined, profiles: readonly Profile[]) => {
  if (typeof file !== "string") return;
  const trace = sim.toChromeTrace(profiles.flatMap((p) => p.ops));
  writeFileSync(file, `${JSON.stringify(trace)}\n`);
};

function profileShape(s: ConvShape, values: Values, io: Io): number {
  shapeGeometry(s);
  const outcomes = socsFrom(values.soc).map((soc, index) => profileOn(s, soc, index));
  torch.npu.setDevice(0);
  writeTrace(
    values.trace,
    outcomes.flatMap((o) => ("profile" in o ? [o.profile] : [])),
  );
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
}

async function profileModel(file: string, values: Values, io: Io): Promise<number> {
  const { comparison, refusals } = await profileNetwork(
    file,
    values["input-shape"],
    socsFrom(values.soc),
  );
  writeTrace(
    values.trace,
    comparison.runs.map((r) => r.profile),
  );
  if (values.json) {
    const refused = refusals.map((r) => ({ soc: r.soc, refused: r.layers }));
    io.out(JSON.stringify([...comparison.toJSON(), ...refused], null, 2));
  } else {
    const parts = comparison.runs.length > 0 ? [comparison.toString()] : [];
    for (const r of refusals) parts.push(io.style.red(r.message));
    io.out(parts.join("\n\n"));
  }
  return comparison.runs.length > 0 ? EXIT_OK : EXIT_FAILED;
}

export const run: CommandRun = async ({ values, positionals }, io) => {
  const what = shapeOrModel(values.shape, positionals[0]);
  return "model" in what
    ? profileModel(what.model, values, io)
    : profileShape(what.shape, values, io);
};
