// Models built from @tsnpu/nn layers: a Sequential (nested ones too) of Conv2d, BatchNorm2d,
// Linear and parameter-free layers (ReLU, MaxPool2d, Flatten...). A BatchNorm2d right after a
// Conv2d is folded into it.

import { BatchNorm2d, Conv2d, Linear, Module, type Parameter, Sequential } from "@tsnpu/nn";
import { ArgumentError, float16, float32, tensor, type Tensor } from "@tsnpu/tensor";
import { ineligibility, type FloatConv, type QuantizedConv2d } from "./layer.js";
import { checkBatchInput, hostFloats, type ConvSite, type FloatModel } from "./site.js";

/** Where a BatchNorm2d folded into the conv before it was: the identity, keeping layer paths as in the float model. */
export class FoldedBatchNorm2d extends Module {
  forward(input: Tensor): Tensor {
    return input;
  }
  protected override extraRepr(): string {
    return "folded into the conv before it";
  }
}

const join = (prefix: string, name: string) => (prefix ? `${prefix}.${name}` : name);

/** Conv2d's weight and bias with the BatchNorm2d after it (if any) folded in, in float64. */
function foldedConv(conv: Conv2d, bn: BatchNorm2d | null): FloatConv {
  const weight = hostFloats(conv.weight.data);
  const bias = conv.bias ? hostFloats(conv.bias.data) : new Float32Array(conv.outChannels);
  if (bn) {
    const { scale, shift } = bn.affine();
    const per = weight.length / conv.outChannels;
    for (let i = 0; i < weight.length; i++) weight[i] = weight[i]! * scale[Math.floor(i / per)]!;
    for (let c = 0; c < bias.length; c++) bias[c] = bias[c]! * scale[c]! + shift[c]!;
  }
  return {
    weight,
    weightShape: conv.weight.shape as [number, number, number, number],
    bias,
    stride: conv.stride,
    padding: conv.padding,
    dilation: conv.dilation,
    groups: conv.groups,
  };
}

const hasState = (m: Module) =>
  [...m.namedParameters()].length > 0 || [...m.namedBuffers()].length > 0;

/** The layers of a Sequential tree with their paths; throws on layers the quantizer cannot rebuild. */
function sitesOf(
  seq: Sequential,
  prefix: string,
  out: Map<string, { site: ConvSite; conv: Conv2d; bn: BatchNorm2d | null }>,
): void {
  seq.layers.forEach((layer, i) => {
    const path = join(prefix, String(i));
    if (layer instanceof Sequential) return sitesOf(layer, path, out);
    if (layer instanceof Conv2d) {
      const next = seq.layers[i + 1];
      const bn = next instanceof BatchNorm2d ? next : null;
      const conv = foldedConv(layer, bn);
      out.set(path, {
        site: { name: path, input: path, conv, reason: ineligibility(conv), producer: null },
        conv: layer,
        bn,
      });
      return;
    }
    if (layer instanceof BatchNorm2d || layer instanceof Linear || !hasState(layer)) return;
    throw new ArgumentError(
      "quantize",
      "model",
      "a Sequential of Conv2d, BatchNorm2d, Linear and parameter-free layers (or an OnnxModule)",
      `layer "${path}" (${layer.constructor.name}) with parameters the quantizer cannot rebuild`,
    );
  });
}

const float16Of = (values: Float32Array, shape: readonly number[]): Tensor =>
  tensor(values, { dtype: float32 })
    .reshape([...shape])
    .to(float16);

function setData(p: Parameter | null, t: Tensor | null): void {
  if (p && t) p.data = t;
}

/** A float16 Conv2d computing `conv` (folded weights). */
export function float16Conv2d(conv: FloatConv): Conv2d {
  const [cout, cinPerGroup, kh, kw] = conv.weightShape;
  const { stride, padding, dilation, groups } = conv;
  const m = new Conv2d(cinPerGroup * groups, cout, [kh, kw], { stride, padding, dilation, groups });
  setData(m.weight, float16Of(conv.weight, conv.weightShape));
  setData(m.bias, float16Of(conv.bias, [cout]));
  return m;
}

/** A float16 Linear with `l`'s weights. */
export function float16Linear(l: Linear): Linear {
  const m = new Linear(l.inFeatures, l.outFeatures, { bias: l.bias !== null });
  setData(m.weight, float16Of(hostFloats(l.weight.data), l.weight.shape));
  setData(m.bias, l.bias && float16Of(hostFloats(l.bias.data), l.bias.shape));
  return m;
}

/** A copy of `bn` (its statistics stay float32: the layer computes its affine map on the host). */
export function copyBatchNorm2d(bn: BatchNorm2d): BatchNorm2d {
  const m = new BatchNorm2d(bn.numFeatures, bn.eps);
  const state = Object.fromEntries(
    Object.entries(bn.stateDict()).map(([k, t]) => [k, tensor(hostFloats(t))]),
  );
  m.loadStateDict(state);
  return m;
}

export function nnModel(model: Sequential): FloatModel {
  const found = new Map<string, { site: ConvSite; conv: Conv2d; bn: BatchNorm2d | null }>();
  sitesOf(model, "", found);
  const byConv = new Map([...found.values()].map((f) => [f.conv, f.site]));
  let reference: readonly (number | null)[] | null = null;

  const rebuild = (
    seq: Sequential,
    prefix: string,
    layers: ReadonlyMap<string, QuantizedConv2d>,
  ): Sequential => {
    const out: Module[] = [];
    seq.layers.forEach((layer, i) => {
      const path = join(prefix, String(i));
      const previous = found.get(join(prefix, String(i - 1)));
      if (layer instanceof BatchNorm2d && previous?.bn === layer) out.push(new FoldedBatchNorm2d());
      else if (layer instanceof Sequential) out.push(rebuild(layer, path, layers));
      else if (layer instanceof Conv2d)
        out.push(layers.get(path) ?? float16Conv2d(found.get(path)!.site.conv!));
      else if (layer instanceof Linear) out.push(float16Linear(layer));
      else if (layer instanceof BatchNorm2d) out.push(copyBatchNorm2d(layer));
      else out.push(layer); // parameter-free: shared
    });
    return new Sequential(...out);
  };

  return {
    streams: [],
    sites: [...found.values()].map((f) => f.site),
    inputsOf(batch, what) {
      // Any batch size; the other dims as in the first batch.
      const t = checkBatchInput(batch, what, reference);
      reference ??= [null, ...t.shape.slice(1)];
      return [t];
    },
    observe(inputs, see) {
      const convs = [...byConv.keys()];
      for (const conv of convs) {
        const site = byConv.get(conv)!;
        // An own property shadows Conv2d.prototype.forward for this run only.
        Object.defineProperty(conv, "forward", {
          configurable: true,
          value: (x: Tensor) => {
            see(site, x);
            return Conv2d.prototype.forward.call(conv, x);
          },
        });
      }
      try {
        model.forward(inputs[0]!);
      } finally {
        for (const conv of convs) delete (conv as { forward?: unknown }).forward;
      }
    },
    build: (layers) => rebuild(model, "", layers),
  };
}
