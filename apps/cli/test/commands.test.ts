import { describe, expect, it } from "vitest";
import { check, info, profile } from "../src/commands.js";
import { parseShape } from "../src/shape.js";

describe("tsnpu cli", () => {
  it("parses shapes and names the format on errors", () => {
    expect(parseShape("1,64,56,56,64,3,1,1")).toMatchObject({
      n: 1,
      cin: 64,
      k: 3,
      stride: 1,
      pad: 1,
      dilation: 1,
    });
    expect(() => parseShape("1,2,3")).toThrow(/N,Cin,H,W,Cout,k/);
  });
  it("lists the products", () => {
    expect(info()).toMatch(/Ascend910B .*24 cores \[doc\]/);
    expect(info()).toMatch(/Ascend310P/);
  });
  it("reports refusals per product", () => {
    const text = check(parseShape("1,4,8,3,4,3"), {});
    expect(text).toMatch(/Ascend910B +supported \(output 1x4x6x1\)/);
    expect(text).toMatch(/Ascend310P +refused: .*output W must not be 1/);
  });
  it("profiles a shape on one product as JSON", () => {
    const json = JSON.parse(
      profile(parseShape("1,16,8,8,16,3,1,1"), { soc: "Ascend910_93", json: true }),
    );
    expect(json[0].soc).toBe("Ascend910_93");
    expect(json[0].ops.some((o: { op: string }) => o.op === "QuantConv2d")).toBe(true);
  });
});
