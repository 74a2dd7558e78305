// Command-line options of the seed example.

export interface SeedArgs {
  readonly device: "npu" | "cpu" | "wasm";
  readonly soc?: "Ascend910B" | "Ascend910_93" | "Ascend310P";
  readonly seed?: number;
  readonly profile: boolean;
}

const usage =
  "usage: pnpm start [-- --device npu|cpu|wasm] [--soc Ascend910B|Ascend910_93|Ascend310P] [--seed N] [--profile]";

export function parseSeedArgs(argv: readonly string[]): SeedArgs {
  let device: SeedArgs["device"] = "npu";
  let soc: SeedArgs["soc"];
  let seed: number | undefined;
  let profile = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${usage}`);
      return v;
    };
    if (a === "--device") {
      const v = value();
      if (v !== "npu" && v !== "cpu" && v !== "wasm")
        throw new Error(`--device must be npu, cpu or wasm, got ${v}\n${usage}`);
      device = v;
    } else if (a === "--soc") soc = value() as SeedArgs["soc"];
    else if (a === "--seed") seed = Number(value());
    else if (a === "--profile") profile = true;
    else if (a === "--") continue;
    else throw new Error(`unknown option ${a}\n${usage}`);
  }
  return { device, ...(soc ? { soc } : {}), ...(seed !== undefined ? { seed } : {}), profile };
}
