// Views inside compiled graphs: a view of a view must see the real layout of the first view.
// Found while bounds-checking as_strided (issue 12): traced views were contiguous placeholders,
// so `x.transpose(0, 1).reshape(6)` replayed as a plain reshape of x, giving wrong values.
import { expect, it } from "vitest";
import * as torch from "../src/index.js";

class Views extends torch.Module {
  forward(x: torch.Tensor): torch.Tensor {
    const t = x.transpose(0, 1); // (3, 2), strides (1, 3)
    return torch.add(t.reshape(6), t.narrow(0, 1, 2).select(1, 1).sum());
  }
}

it("replays views of views with the layout of the first view", () => {
  const x = torch.arange(6, undefined, 1, { dtype: torch.float32 }).reshape(2, 3);
  const eager = new Views().forward(x);
  expect(eager.tolist()).toEqual([9, 12, 10, 13, 11, 14]); // [0, 3, 1, 4, 2, 5] + (4 + 5)
  expect(torch.compile(new Views())(x).tolist()).toEqual(eager.tolist());
});
