import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { checkShippedFiles } from "../src/shipped.js";

const LICENSE = "Apache License 2.0 (full text)\n";
const names = ["@scope/pkg"];
let nodeModules: string;

function write(path: string, text: string): void {
  const file = join(nodeModules, "@scope", "pkg", path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

beforeEach(() => {
  nodeModules = mkdtempSync(join(tmpdir(), "shipped-test-"));
  write("LICENSE", LICENSE);
  write("README.md", "# pkg\n");
  write(
    "dist/index.js.map",
    JSON.stringify({ version: 3, sources: ["../src/index.ts"], mappings: "" }),
  );
  write("src/index.ts", "export {};\n");
});
afterEach(() => rmSync(nodeModules, { recursive: true, force: true }));

it("accepts a package whose maps point at shipped sources", () => {
  expect(() => checkShippedFiles(nodeModules, names, LICENSE)).not.toThrow();
});

it("names a source map whose sources are not shipped", () => {
  rmSync(join(nodeModules, "@scope", "pkg", "src"), { recursive: true });
  expect(() => checkShippedFiles(nodeModules, names, LICENSE)).toThrow(
    /@scope\/pkg\/dist\/index\.js\.map maps to .*src\/index\.ts, which is not shipped/,
  );
});

it("names a tsconfig that extends a package the install lacks", () => {
  write("assembly/tsconfig.json", JSON.stringify({ extends: "assemblyscript/std/assembly.json" }));
  expect(() => checkShippedFiles(nodeModules, names, LICENSE)).toThrow(
    /assembly\/tsconfig\.json extends "assemblyscript\/std\/assembly\.json"/,
  );
});

it("requires the repository's LICENSE text and a README", () => {
  write("LICENSE", "MIT\n");
  rmSync(join(nodeModules, "@scope", "pkg", "README.md"));
  expect(() => checkShippedFiles(nodeModules, names, LICENSE)).toThrow(
    /LICENSE is missing or differs[\s\S]*README\.md is missing/,
  );
});
