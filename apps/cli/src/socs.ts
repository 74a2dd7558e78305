// The simulated products a command runs on: --soc NAME or all (the default).
import { sim } from "@tsnpu/backend-npu-sim";
import { UsageError } from "./cli/errors.js";
import { didYouMean } from "./cli/suggest.js";

export type SocName = ReturnType<typeof sim.socNames>[number];

export function socsFrom(option: string | boolean | undefined): SocName[] {
  const names = sim.socNames();
  if (option === undefined || option === "all") return names;
  if (!(names as string[]).includes(String(option)))
    throw new UsageError(
      `--soc must be one of ${names.join(", ")} or all, got "${option}"`,
      didYouMean(String(option), [...names, "all"]),
    );
  return [option as SocName];
}
