// tsnpu check: whether each product accepts a QuantConv2d shape (with the rule it breaks) or a
// whole ONNX network (with every layer it refuses).
import { sim } from "@tsnpu/backend-npu-sim";
import { EXIT_FAILED, EXIT_OK } from "../cli/errors.js";
import type { Io } from "../cli/io.js";
import type { CommandRun, Values } from "../cli/spec.js";
import { shapeGeometry } from "../geometry.js";
import { profileNetwork } from "../network.js";
import { type ConvShape, shapeOrModel } from "../shape.js";
import { socsFrom } from "../socs.js";

function checkShape(s: ConvShape, values: Values, io: Io): number {
  const g = shapeGeometry(s);
  const { green, red } = io.style;
  let accepted = 0;
  for (const soc of socsFrom(values.soc)) {
    const refusal = sim.checkQuantConv2dSupported(sim.getSoc(soc), g);
    if (!refusal) accepted++;
    io.out(
      `${soc.padEnd(13)} ${refusal ? red(`refused: ${refusal.message}`) : green(`supported (output ${s.n}x${s.cout}x${g.hOut}x${g.wOut})`)}`,
    );
  }
  return accepted > 0 ? EXIT_OK : EXIT_FAILED;
}

async function checkModel(file: string, values: Values, io: Io): Promise<number> {
  const { comparison, refusals } = await profileNetwork(
    file,
    values["input-shape"],
    socsFrom(values.soc),
  );
  const { green, red } = io.style;
  const lines = [
    ...comparison.runs.map(
      (r) =>
        `${r.soc.padEnd(13)} ${green(`supported (${r.profile.rows().length} rows, ${r.profile.microseconds.toFixed(2)} us modelled)`)}`,
    ),
    ...refusals.map((r) =>
      [
        `${r.soc.padEnd(13)} ${red(`refused: ${r.layers.length} layer(s)`)}`,
        ...r.layers.map((l) => `  - ${l.layer} (${l.op}): ${l.rule}`),
      ].join("\n"),
    ),
  ];
  io.out(lines.join("\n"));
  return comparison.runs.length > 0 ? EXIT_OK : EXIT_FAILED;
}

export const run: CommandRun = async ({ values, positionals }, io) => {
  const what = shapeOrModel(values.shape, positionals[0]);
  return "model" in what ? checkModel(what.model, values, io) : checkShape(what.shape, values, io);
};
