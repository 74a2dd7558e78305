// Devices: "cpu", "wasm", "npu:0". A tensor's device picks the backend that runs its ops.

import { ArgumentError, describe } from "./errors.js";

export class Device {
  private constructor(
    /** The backend name: "cpu", "wasm", "npu", or a third party's. */
    readonly type: string,
    readonly index: number | null,
  ) {}

  private static readonly cache = new Map<string, Device>();

  /** Parses "cpu", "npu", "npu:1"; returns the same object for the same device. */
  static of(spec: DeviceLike): Device {
    if (spec instanceof Device) return spec;
    const m = typeof spec === "string" ? /^([a-z][a-z0-9_]*)(?::(\d+))?$/.exec(spec) : null;
    if (!m)
      throw new ArgumentError(
        "device",
        "device",
        'a device string such as "cpu", "wasm" or "npu:0"',
        describe(spec),
      );
    const key = spec as string;
    let d = Device.cache.get(key);
    if (!d) {
      d = new Device(m[1]!, m[2] === undefined ? null : Number(m[2]));
      Device.cache.set(key, d);
    }
    return d;
  }

  equals(other: Device): boolean {
    return this.type === other.type && (this.index ?? 0) === (other.index ?? 0);
  }

  toString(): string {
    return this.index === null ? this.type : `${this.type}:${this.index}`;
  }
}

export type DeviceLike = Device | string;
