import { expect, it } from "vitest";
import { readmeExample } from "../src/cli-readme.js";

it("takes the npx command's arguments and the code block after it", () => {
  const readme =
    "# cli\n\n```sh\nnpx @tsnpu/cli check --shape 1,2\n```\n\nprints\n\n```\nline one\nline two\n```\n";
  expect(readmeExample(readme)).toEqual({
    args: ["check", "--shape", "1,2"],
    expected: "line one\nline two",
  });
});

it("fails when the README has no example with its output", () => {
  expect(() => readmeExample("```sh\nnpx @tsnpu/cli info\n```\n")).toThrow(
    /no `npx @tsnpu\/cli \.\.\.` block followed by its output/,
  );
});
