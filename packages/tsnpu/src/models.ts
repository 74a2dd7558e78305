// tsnpu/models: the MNIST CNN and BlazeFace's pre/post-processing, from @tsnpu/models.
export * from "@tsnpu/models";
