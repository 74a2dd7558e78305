// Shared vitest settings: tests import workspace packages from their TypeScript sources
// (the "source" export condition) so a test run never reads stale build output.
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000 },
});
