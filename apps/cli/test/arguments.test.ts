// The command line itself, on the built CLI: help, the friction points of issue 17 (unknown
// flags and stray arguments were ignored, --shape=... was not understood, --help errored, a
// refused shape exited 0, errors printed stack traces) and the exit codes.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hasScript, tsnpu, tsnpuOnTty } from "./cli.js";

const usageError = (r: ReturnType<typeof tsnpu>, message: RegExp, hint?: RegExp) => {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(message);
  if (hint) expect(r.stderr).toMatch(hint);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
};

describe("help", () => {
  it("tsnpu --help and tsnpu help list every command, exit 0", () => {
    for (const args of [["--help"], ["-h"], ["help"]]) {
      const r = tsnpu(args);
      expect(r.code).toBe(0);
      for (const c of ["info", "check", "profile"])
        expect(r.stdout).toMatch(new RegExp(`\\n  ${c} `));
    }
  });
  it("no command prints the usage on stderr, exit 2", () => {
    const r = tsnpu([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/usage: tsnpu <command>/);
  });
  it("per-command --help, -h and help <command> print the same help, even next to bad flags", () => {
    const help = tsnpu(["profile", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/usage:\n {2}tsnpu profile --shape S/);
    expect(help.stdout).toMatch(/--trace FILE/);
    expect(tsnpu(["help", "profile"]).stdout).toBe(help.stdout);
    expect(tsnpu(["profile", "-h"]).stdout).toBe(help.stdout);
    expect(tsnpu(["profile", "--bogus", "--help"]).stdout).toBe(help.stdout);
  });
  it("help of an unknown command is a usage error with a suggestion", () => {
    usageError(tsnpu(["help", "profil"]), /unknown command "profil"/, /did you mean profile\?/);
  });
});

describe("bad command lines exit 2 with a hint and no stack trace", () => {
  it("an unknown command", () => {
    usageError(tsnpu(["chek"]), /tsnpu: unknown command "chek"/, /did you mean check\?/);
  });
  it("an unknown long flag", () => {
    usageError(
      tsnpu(["check", "--shape", "1,4,8,8,4,3", "--bogus"]),
      /tsnpu check: unknown option --bogus/,
      /the options are --shape, --soc/,
    );
    usageError(
      tsnpu(["check", "--shape", "1,4,8,8,4,3", "--sco", "all"]),
      /--sco/,
      /did you mean --soc\?/,
    );
  });
  it("an unknown short flag (-s all)", () => {
    usageError(
      tsnpu(["profile", "--shape", "1,4,8,8,4,3", "-s", "all"]),
      /unknown option -s/,
      /did you mean --shape or --soc\?/,
    );
  });
  it("a stray argument", () => {
    usageError(
      tsnpu(["check", "--shape", "1,4,8,8,4,3", "extra"]),
      /give either --shape or <model.onnx>, not both/,
    );
    usageError(tsnpu(["profile", "model.onnx", "extra"]), /unexpected argument "extra"/);
    usageError(tsnpu(["verify", "all"]), /verify takes no arguments, got "all"/);
    usageError(tsnpu(["info", "now"]), /info takes no arguments, got "now"/);
  });
  it("a flag without its value, or with a flag as its value", () => {
    usageError(tsnpu(["profile", "--shape"]), /--shape needs a value/);
    usageError(tsnpu(["profile", "--shape="]), /--shape needs a value/);
    usageError(
      tsnpu(["profile", "--shape", "1,4,8,8,4,3", "--soc", "--json"]),
      /--soc needs a value/,
    );
  });
  it("a value on a switch, and a flag given twice", () => {
    usageError(tsnpu(["profile", "--shape", "1,4,8,8,4,3", "--json=yes"]), /--json takes no value/);
    usageError(
      tsnpu(["check", "--shape", "1,4,8,8,4,3", "--shape", "1,4,8,8,4,3"]),
      /--shape is given twice/,
    );
  });
  it("a missing or malformed --shape names the format", () => {
    usageError(tsnpu(["check"]), /--shape is required/, /N,Cin,H,W,Cout,k/);
    usageError(tsnpu(["check", "--shape", "1,2,3"]), /--shape must be N,Cin,H,W,Cout,k/);
    usageError(tsnpu(["check", "--shape", "1,4,8,8,4,x"]), /got "1,4,8,8,4,x"/);
  });
  it("a shape the op itself rejects is reported by its meta function", () => {
    usageError(
      tsnpu(["check", "--shape", "1,4,2,2,4,5"]),
      /--shape: npu_quant_conv2d: input must be/,
    );
  });
  it("an unknown product, with a suggestion", () => {
    usageError(
      tsnpu(["check", "--shape", "1,4,8,8,4,3", "--soc", "Ascend310"]),
      /--soc must be one of Ascend910B, Ascend910_93, Ascend310P or all/,
      /did you mean Ascend310P\?/,
    );
  });
  it("--debug shows the stack trace", () => {
    const r = tsnpu(["check", "--shape", "1,2,3", "--debug"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});

const onTty = (env: NodeJS.ProcessEnv) =>
  tsnpuOnTty(["check", "--shape", "1,4,8,3,4,3"], env).stdout;

describe("colours", () => {
  it("none when stdout is not a TTY", () => {
    const r = tsnpu(["check", "--shape", "1,4,8,3,4,3"], { TERM: "xterm-256color" });
    expect(r.stdout).not.toContain("\x1b[");
  });
  it.skipIf(!hasScript)("on a TTY, unless NO_COLOR is set", () => {
    expect(onTty({})).toContain("\x1b[32msupported");
    expect(onTty({ NO_COLOR: "1" })).not.toContain("\x1b[");
  });
});

// `pnpm tsnpu` from the repository root (issue 17: it went through turbo, ~3 s, and a failure
// printed a stack trace and ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL): the root script starts the built
// CLI directly, and its exit code and one-line error come through pnpm as they are.
describe("pnpm tsnpu from the repository root", () => {
  const root = new URL("../../../", import.meta.url);
  const pnpm = (args: string[]) =>
    spawnSync("pnpm", ["-s", "tsnpu", ...args], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, FORCE_COLOR: undefined },
    });
  it("runs the built CLI through scripts/launch.mjs, no build step", () => {
    const manifest = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
    expect(manifest.scripts.tsnpu).toBe("node apps/cli/scripts/launch.mjs");
    const r = pnpm(["check", "--shape", "1,4,8,3,4,3", "--soc", "Ascend310P"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^Ascend310P +refused/);
  });
  it("a mistake: exit 2, the hint, nothing from pnpm and no stack trace", () => {
    const r = pnpm(["chek"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^tsnpu: unknown command "chek"\n {2}did you mean check\?\n/);
    expect(r.stderr).not.toMatch(/ERR_PNPM|ELIFECYCLE|\n\s+at /);
  });
});
