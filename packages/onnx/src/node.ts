// A graph node as the op handlers see it: typed attribute reads whose errors name the node and
// the attribute.

import { OnnxError, nodeLabel } from "./errors.js";
import {
  toNumber,
  type AttributeProto,
  type Int64,
  type NodeProto,
  type TensorProto,
} from "./proto.js";

const utf8 = new TextDecoder();

export class OnnxNode {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly #attributes: ReadonlyMap<string, AttributeProto>;

  constructor(
    proto: NodeProto,
    readonly opset: number,
  ) {
    this.name = proto.name ?? "";
    this.opType = proto.opType ?? "";
    this.domain = proto.domain ?? "";
    this.inputs = proto.input ?? [];
    this.outputs = proto.output ?? [];
    this.#attributes = new Map((proto.attribute ?? []).map((a) => [a.name ?? "", a]));
  }

  /** How errors and toString() name this node. */
  get label(): string {
    return nodeLabel(this);
  }

  has(attribute: string): boolean {
    return this.#attributes.has(attribute);
  }

  /** An OnnxError about this node. */
  error(message: string): OnnxError {
    return new OnnxError(`node "${this.label}" (${this.opType}): ${message}`);
  }

  /** Refuses an attribute value tsnpu cannot run, naming node, attribute, value and what works. */
  unsupported(attribute: string, value: unknown, supported: string): OnnxError {
    return this.error(
      `attribute ${attribute} = ${JSON.stringify(value)} is not supported (supported: ${supported})`,
    );
  }

  #get(attribute: string): AttributeProto | undefined {
    return this.#attributes.get(attribute);
  }

  int(attribute: string, fallback: number): number {
    const a = this.#get(attribute);
    return a ? toNumber(a.i as Int64) : fallback;
  }

  ints(attribute: string): number[] | undefined;
  ints(attribute: string, fallback: number[]): number[];
  ints(attribute: string, fallback?: number[]): number[] | undefined {
    const a = this.#get(attribute);
    return a ? (a.ints ?? []).map((v) => toNumber(v as Int64)) : fallback;
  }

  float(attribute: string, fallback: number): number {
    const a = this.#get(attribute);
    return a ? (a.f ?? 0) : fallback;
  }

  floats(attribute: string): number[] | undefined {
    const a = this.#get(attribute);
    return a ? [...(a.floats ?? [])] : undefined;
  }

  string(attribute: string, fallback: string): string {
    const a = this.#get(attribute);
    return a?.s ? utf8.decode(a.s) : fallback;
  }

  tensor(attribute: string): TensorProto | undefined {
    return this.#get(attribute)?.t ?? undefined;
  }

  /** The attributes as short text for toString(): `strides=[2, 2], group=24`. */
  attributeText(): string {
    return [...this.#attributes.values()]
      .map((a) => `${a.name}=${attributeValueText(a)}`)
      .join(", ");
  }
}

function attributeValueText(a: AttributeProto): string {
  if (a.ints?.length) return `[${a.ints.map((v) => toNumber(v as Int64)).join(", ")}]`;
  if (a.floats?.length) return `[${a.floats.join(", ")}]`;
  if (a.s?.length) return JSON.stringify(utf8.decode(a.s));
  if (a.t) return `tensor[${(a.t.dims ?? []).map((d) => toNumber(d as Int64)).join(", ")}]`;
  if (a.type === 1) return String(a.f ?? 0);
  return String(toNumber(a.i as Int64));
}
