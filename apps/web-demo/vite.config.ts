import { defineConfig } from "vite";

// COOP/COEP make the page cross-origin isolated, so the wasm backend may start worker threads.
const isolation = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

export default defineConfig({
  // The dev server must not pre-bundle the wasm backend away from its .wasm files
  // (packages/backend-wasm/README.md, Bundlers).
  optimizeDeps: { exclude: ["@tsnpu/backend-wasm"] },
  server: { headers: isolation },
  preview: { headers: isolation },
  build: { target: "es2022" },
  assetsInclude: ["**/*.onnx", "**/*.safetensors"],
});
