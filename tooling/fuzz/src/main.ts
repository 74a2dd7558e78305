// `pnpm fuzz`: runs the command line (see cli.ts and the README).

import { TsnpuError } from "@tsnpu/tensor";
import { generateCase } from "./cases.js";
import { COMMAND, HELP, parseCommand, readCase } from "./cli.js";
import { describeFailure, formatTable, fuzz, replay } from "./fuzz.js";
import { startTargets, stopTargets } from "./targets.js";

async function main(argv: readonly string[]): Promise<number> {
  const command = parseCommand(argv);
  if (command.kind === "help") {
    console.log(HELP);
    return 0;
  }
  const targets = await startTargets();
  try {
    if (command.kind !== "run") {
      const c =
        command.kind === "replay"
          ? generateCase(command.seed, command.index)
          : readCase(command.file);
      const { lines, failures } = replay(c, targets);
      console.log(lines.join("\n"));
      return failures.length === 0 ? 0 : 1;
    }
    console.log(
      `${COMMAND}: ${command.cases} cases, seed ${command.seed}, on ${targets.map((t) => t.name).join(", ")}; eager and compiled`,
    );
    const result = await fuzz({
      seed: command.seed,
      cases: command.cases,
      targets,
      progress: (done) => process.stderr.write(`  ${done} cases\n`),
    });
    console.log(formatTable(result.tallies));
    console.log(
      `${command.cases} cases, ${result.failures.length} failing, ${(result.ms / 1000).toFixed(1)} s`,
    );
    for (const f of result.failures.slice(0, 20)) console.log(describeFailure(f).join("\n"));
    if (result.failures.length > 20) console.log(`... and ${result.failures.length - 20} more`);
    return result.failures.length === 0 ? 0 : 1;
  } finally {
    stopTargets();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e instanceof TsnpuError ? `${e.constructor.name}: ${e.message}` : e);
    process.exitCode = 2;
  },
);
