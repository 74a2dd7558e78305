// Large element-wise calls on 2 thread(s) (eltwise-large.ts); each thread count runs in its own
// test file, hence its own process-wide runtime.
import "../src/register.js";
import "@tsnpu/backend-cpu";
import { beforeAll } from "vitest";
import { ready } from "../src/backend.js";
import { describeLargeEltwise } from "./eltwise-large.js";

beforeAll(async () => {
  const rt = await ready({ numThreads: 2 });
  if (rt.numThreads !== 2) throw new Error(`wanted 2 thread(s), got ${rt.numThreads}`);
});

describeLargeEltwise(2);
