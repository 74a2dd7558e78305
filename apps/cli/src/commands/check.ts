// tsnpu check: whether each product accepts the shape, with the rule it breaks.
import { sim } from "@tsnpu/backend-npu-sim";
import { EXIT_FAILED, EXIT_OK } from "../cli/errors.js";
import type { CommandRun } from "../cli/spec.js";
import { shapeGeometry } from "../geometry.js";
import { requiredShape } from "../shape.js";
import { socsFrom } from "../socs.js";

export const run: CommandRun = ({ values }, io) => {
  const s = requiredShape(values.shape);
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
};
