// The seed page's example (torch_npu.contrib.module.QuantConv2d, static graph mode), line by line.
// Run: pnpm start            (the simulated Ascend910B; add -- --device cpu|wasm, --soc, --profile)
import * as torch from "tsnpu";
import { QuantConv2d } from "tsnpu/contrib";
import { parseSeedArgs } from "./args.js";

const args = parseSeedArgs(process.argv.slice(2));
const toDevice = (t: torch.Tensor) => (args.device === "npu" ? t.npu() : t.to(args.device));

torch.npu.setDevice(0, args.soc ? { soc: args.soc } : {});
if (args.device === "wasm") await torch.wasm.ready();
const npuBackend = args.device === "npu" ? torch.npu.backend() : torch.getBackend(args.device);
if (args.seed !== undefined) torch.manualSeed(args.seed);

const fmap = toDevice(torch.randint(-1, 1, [1, 1, 64, 64], { dtype: torch.int8 }));
const weight = toDevice(torch.randint(-1, 1, [1, 1, 3, 3], { dtype: torch.int8 }));
const scale = toDevice(torch.rand([1], { dtype: torch.float32 }));
const bias = toDevice(torch.randint(-1, 1, [1], { dtype: torch.int32 }));

const model = new QuantConv2d(1, 1, [3, 3], torch.float16).to(
  args.device === "npu" ? "npu:0" : args.device,
);
model.weight.data = weight;
model.scale.data = scale;
model.bias!.data = bias;

const staticGraphModel = torch.compile(model, { backend: npuBackend, dynamic: false });
const { result: output, profile } = torch.npu.profile(() => staticGraphModel(fmap));
console.log("static graph result: ", output.toString());
if (args.device === "npu") console.log(args.profile ? profile.table() : profile.summary());
else console.log(`(ran on the ${args.device} device)`);
if (args.device === "wasm") torch.wasm.shutdown(); // stops the worker threads so the process can exit
