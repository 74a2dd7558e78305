// The model files beside this module. The URL is written as `new URL("./literal.onnx",
// import.meta.url)`, the pattern Vite, webpack 5 and Rollup (with an import.meta assets plugin)
// recognise: they emit the file with the bundle and rewrite the URL. The files sit beside this
// module, not under dist/ or src/, so the same URL is right from the sources, from dist and
// from a bundle (as in @tsnpu/backend-wasm's wasm/kernel-urls.js).

/** The URL of the MNIST CNN's ONNX file (a `file:` URL in Node, an http(s) one in a bundle). */
export function mnistCnnUrl() {
  return new URL("./mnist-cnn.onnx", import.meta.url);
}
