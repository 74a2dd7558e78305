// Start-up of the built CLI, 10 runs each, medians (hyperfine is not installed):
//   node apps/cli/scripts/startup-time.mjs      (from the repository root, after pnpm build)
// Bare Node and pnpm's own start-up are measured beside it, so a busy machine shows as such.
import { spawnSync } from "node:child_process";

const RUNS = 10;
const cases = [
  ["node -e 0 (bare Node)", "node", ["-e", "0"]],
  ["node apps/cli/dist/main.js --help", "node", ["apps/cli/dist/main.js", "--help"]],
  [
    "node apps/cli/dist/main.js check --shape 1,4,8,3,4,3",
    "node",
    ["apps/cli/dist/main.js", "check", "--shape", "1,4,8,3,4,3"],
  ],
  ["pnpm --version (pnpm alone)", "pnpm", ["--version"]],
  ["pnpm tsnpu --help", "pnpm", ["tsnpu", "--help"]],
];
const times = cases.map(() => []);
for (let round = 0; round < RUNS; round++) {
  cases.forEach(([, command, args], i) => {
    const start = performance.now();
    const { status } = spawnSync(command, args, { stdio: "ignore" });
    if (status !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${status}`);
    times[i].push(performance.now() - start);
  });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const [i, [label]] of cases.entries())
  console.log(`${label.padEnd(56)} median ${median(times[i]).toFixed(0).padStart(5)} ms`);
