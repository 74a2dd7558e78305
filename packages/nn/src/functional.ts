// torch.nn.functional (and torch_npu's functional ops), re-exported from the op definitions in
// @tsnpu/tensor so there is one function per op.
export {
  conv2d,
  relu,
  maxPool2d,
  avgPool2d,
  npuQuantConv2d,
  npuTransQuantParam,
  type NpuQuantConv2dOptions,
} from "@tsnpu/tensor";
import { matmul, type Tensor } from "@tsnpu/tensor";

/** y = x W^T + b. */
export function linear(input: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const y = matmul(input, weight.transpose(0, 1));
  return bias ? y.add(bias) : y;
}
