// The refusal of a whole network: every layer the product cannot run, not just the first.

import { UnsupportedError } from "@tsnpu/tensor";

/** One layer a product refuses: where, which op, and the rule (with the numbers). */
export interface RefusedLayer {
  readonly layer: string;
  readonly op: string;
  readonly rule: string;
}

export class NetworkRefusedError extends UnsupportedError {
  override name = "NetworkRefusedError";
  constructor(
    readonly soc: string,
    readonly layers: readonly RefusedLayer[],
  ) {
    super(
      `${soc} cannot run this network: ${layers.length} layer(s) refused\n` +
        layers.map((l) => `  - ${l.layer} (${l.op}): ${l.rule}`).join("\n"),
    );
  }
}
