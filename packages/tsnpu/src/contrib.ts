// torch_npu.contrib.module
export * from "@tsnpu/nn/contrib";
