// Which exact float rewrites quantize() applies before quantizing (equalize.ts, streams.ts), all
// [assume: our choice; int8-networks.md keeps activations per tensor]:
// - a pointwise int8 conv reading a float16 conv's output that nothing else reads: that
//   producer's output channels divided by f, the int8 conv's input channels multiplied by f;
// - a channel stream read by int8 convs: every tensor of it divided by one f per channel, its
//   producers' output channels divided, its readers' input channels multiplied (a float16
//   depthwise reader by its weight rows, so its output is unchanged).

import {
  equalizationFactors,
  equalizedConv,
  outputDividedConv,
  streamFactors,
} from "./equalize.js";
import type { FloatConv } from "./layer.js";
import type { ConvSite, FloatModel } from "./site.js";

export interface Rescaling {
  /** By int8 site: the factors its input channels are divided by (its conv's columns times them). */
  readonly inputFactors: ReadonlyMap<string, Float32Array>;
  /** By int8 site: the divisors of its output channels. */
  readonly outputDivisors: ReadonlyMap<string, Float32Array>;
  /** By float16 conv: the divisors of its output channels (its W rows and b). */
  readonly float16Divisors: ReadonlyMap<string, Float32Array>;
  /** By int8 site: which rewrite it takes part in, for the report. */
  readonly notes: ReadonlyMap<string, string>;
}

/** The rewrites for the int8 sites `int8` (by name) given each input's per-channel max |x|. */
export function planRescaling(
  float: FloatModel,
  int8: ReadonlySet<string>,
  inputAbsMax: (site: ConvSite) => ArrayLike<number>,
): Rescaling {
  const sites = new Map(float.sites.map((s) => [s.name, s]));
  const inputFactors = new Map<string, Float32Array>();
  const outputDivisors = new Map<string, Float32Array>();
  const float16Divisors = new Map<string, Float32Array>();
  const notes = new Map<string, string>();
  const note = (name: string, text: string) =>
    notes.set(name, notes.has(name) ? `${notes.get(name)}; ${text}` : text);
  const divideFloat16 = (name: string, d: Float32Array) => {
    const old = float16Divisors.get(name);
    float16Divisors.set(name, old ? old.map((v, c) => Math.fround(v * d[c]!)) : d);
  };
  for (const stream of float.streams) {
    const readers = stream.consumers.filter((c) => int8.has(c.name));
    const fits = stream.consumers.every((c) => int8.has(c.name) || c.depthwise);
    if (readers.length === 0 || !fits) continue;
    const f = streamFactors(
      readers.map((r) => ({
        conv: sites.get(r.name)!.conv!,
        inputAbsMax: inputAbsMax(sites.get(r.name)!),
      })),
      stream.channels,
    );
    for (const p of stream.producers) {
      const d = f.slice(0, p.channels);
      if (int8.has(p.name)) {
        outputDivisors.set(p.name, d);
        note(p.name, "output channels divided for its stream [assume]");
      } else divideFloat16(p.name, d);
    }
    for (const c of stream.consumers) {
      const d = f.slice(0, c.channels);
      if (int8.has(c.name)) {
        inputFactors.set(c.name, d);
        note(c.name, "input equalized through ReLU/Add/MaxPool [assume]");
      } else
        divideFloat16(
          c.name,
          d.map((v) => Math.fround(1 / v)),
        );
    }
  }
  for (const site of float.sites) {
    if (!site.producer || !int8.has(site.name)) continue;
    const f = equalizationFactors(site.conv!, inputAbsMax(site));
    inputFactors.set(site.name, f);
    divideFloat16(site.producer, f);
    note(site.name, `input equalized with ${site.producer} [assume]`);
  }
  return { inputFactors, outputDivisors, float16Divisors, notes };
}

/** The site's conv as rewritten by `r`. */
export function rescaledConv(site: ConvSite, r: Rescaling): FloatConv {
  let conv = site.conv!;
  const f = r.inputFactors.get(site.name);
  if (f) conv = equalizedConv(conv, f);
  const d = r.outputDivisors.get(site.name);
  if (d) conv = outputDividedConv(conv, d);
  return conv;
}
