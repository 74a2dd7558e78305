import { expect, it } from "vitest";
import { assertFirstRelease } from "../src/changeset.js";

const pkg = (name: string, version: string, isPrivate = false) => ({
  dir: `/repo/${name}`,
  manifest: { name, version, private: isPrivate },
});
const packages = [pkg("a", "0.0.0"), pkg("b", "0.1.0"), pkg("tool", "0.0.0", true)];

it("accepts unreleased packages at 0.1.0 and lets released ones move on", () => {
  expect(() =>
    assertFirstRelease(
      packages,
      new Map([
        ["a", "0.1.0"],
        ["b", "0.2.0"],
      ]),
    ),
  ).not.toThrow();
});

it("names an unreleased package that would come out at another version", () => {
  expect(() =>
    assertFirstRelease(
      packages,
      new Map([
        ["a", "0.2.0"],
        ["b", "0.1.1"],
      ]),
    ),
  ).toThrow("unreleased packages must come out at 0.1.0, got a@0.2.0");
});
