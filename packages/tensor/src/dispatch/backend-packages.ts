// Which package to import for each built-in device type, for the errors of a call whose backend
// or kernels were never registered (internal: not exported from the package).

const packageOf: Record<string, string> = {
  cpu: "@tsnpu/backend-cpu",
  wasm: "@tsnpu/backend-wasm",
  npu: "@tsnpu/backend-npu-sim",
};

/** 'import "<package>" ... first' for a built-in device type; undefined for any other. */
export function importAdvice(deviceType: string): string | undefined {
  const pkg = packageOf[deviceType];
  return pkg && `import "${pkg}" (or "tsnpu", which registers every backend) first`;
}
