// `node --import ./scripts/ts-register.mjs file.ts`: runs TypeScript files on Node 20, which
// has no --experimental-strip-types. Types are erased with the workspace's typescript; no
// type checking (that is `pnpm typecheck`'s job).
import { register } from "node:module";

register("./ts-loader.mjs", import.meta.url);
