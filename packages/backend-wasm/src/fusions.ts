// The chains of ops the wasm backend computes in one graph step (Backend.fusions, see
// tensor/src/dispatch/fuse.ts). Kernel files add theirs, as they register kernels.

import type { Fusion } from "@tsnpu/tensor";

export const wasmFusions: Fusion[] = [];
