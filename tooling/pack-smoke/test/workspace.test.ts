import { expect, it } from "vitest";
import { assetSubpaths, moduleSpecifiers } from "../src/workspace.js";

const manifest = {
  name: "@scope/pkg",
  version: "0.0.0",
  exports: {
    ".": { types: "./dist/index.d.ts", default: "./dist/index.js" },
    "./sub": "./dist/sub.js",
    "./kernels.wasm": "./wasm/kernels.wasm",
    "./package.json": "./package.json",
  },
};

it("tells asset exports from module entry points", () => {
  expect(assetSubpaths(manifest)).toEqual(["./kernels.wasm"]);
  expect(moduleSpecifiers({ name: manifest.name, file: "pkg.tgz", manifest })).toEqual([
    "@scope/pkg",
    "@scope/pkg/sub",
    "@scope/pkg/package.json",
  ]);
});
