// The kernel modules beside this file. Each URL is written as `new URL("./literal.wasm",
// import.meta.url)`, the one pattern that Vite, webpack 5 and Rollup (with an import.meta
// assets plugin) recognise: they emit the .wasm with the bundle and rewrite the URL. Bundlers
// that leave the expression alone (esbuild, plain Rollup) keep it relative to the bundle, so
// copying the two files next to the bundle is enough. The files sit beside this module, not
// under dist/ or src/, so the same URL is right from the sources, from dist and from a bundle.

/** The URL of the default kernel module: the shared-memory build when `threads`, else the plain one. */
export function defaultWasmUrl(threads) {
  return threads
    ? new URL("./tsnpu-kernels.wasm", import.meta.url)
    : new URL("./tsnpu-kernels-st.wasm", import.meta.url);
}
