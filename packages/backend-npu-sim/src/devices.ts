// The simulated devices: npu:0 .. npu:7, each an AI Core cluster of one product (SoC). Like
// torch.npu, there is a current device; setDevice(id, { soc }) also picks that device's product.

import { ArgumentError, Device, describe } from "@tsnpu/tensor";
import {
  DEFAULT_SOC,
  SOC_TABLE,
  getSoc,
  peakInt8Tops,
  socNames,
  type SocName,
  type SocSpec,
} from "./sim/index.js";

/** How many simulated devices exist [assume: an 8-device server]. */
export const DEVICE_COUNT = 8;

const products = new Map<number, SocSpec>();
let current = 0;

function checkIndex(op: string, id: unknown): number {
  if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id >= DEVICE_COUNT) {
    throw new ArgumentError(
      op,
      "device",
      `an integer in [0, ${DEVICE_COUNT - 1}] (npu:0 .. npu:${DEVICE_COUNT - 1})`,
      describe(id),
    );
  }
  return id;
}

/** The device index a tensor's device denotes ("npu" alone means the current device). */
export function deviceIndex(device: Device): number {
  return device.index ?? current;
}

/** The product simulated by a device. */
export function socOf(device: Device | number): SocSpec {
  const index = typeof device === "number" ? device : deviceIndex(device);
  return products.get(index) ?? getSoc(DEFAULT_SOC);
}

export interface SetDeviceOptions {
  /** The product to simulate on this device (default Ascend910B). */
  readonly soc?: SocName;
}

/** torch.npu.set_device: makes `id` current and, optionally, chooses its product. */
export function setDevice(id: number | string, options: SetDeviceOptions = {}): void {
  const index = checkIndex(
    "npu.setDevice",
    typeof id === "string" ? (Device.of(id).index ?? 0) : id,
  );
  if (options.soc !== undefined) {
    if (!(options.soc in SOC_TABLE))
      throw new ArgumentError(
        "npu.setDevice",
        "soc",
        `one of ${socNames().join(", ")}`,
        describe(options.soc),
      );
    products.set(index, getSoc(options.soc));
  }
  current = index;
}

export function currentDevice(): number {
  return current;
}

export function deviceCount(): number {
  return DEVICE_COUNT;
}

export interface DeviceProperties {
  readonly name: string;
  readonly product: string;
  readonly cubeCores: number;
  readonly clockGHz: number;
  readonly l1Bytes: number;
  readonly l0aBytes: number;
  readonly l0bBytes: number;
  readonly l0cBytes: number;
  readonly peakInt8Tops: number;
  /** The full product row, every constant with its [doc]/[est]/[assume] tag. */
  readonly soc: SocSpec;
}

/** torch.npu.get_device_properties: the simulated product's figures. */
export function getDeviceProperties(id: number = current): DeviceProperties {
  const soc = socOf(checkIndex("npu.getDeviceProperties", id));
  return {
    name: `${soc.name} (simulated)`,
    product: soc.family,
    cubeCores: soc.cubeCores.value,
    clockGHz: soc.clockGHz.value,
    l1Bytes: soc.l1Bytes.value,
    l0aBytes: soc.l0aBytes.value,
    l0bBytes: soc.l0bBytes.value,
    l0cBytes: soc.l0cBytes.value,
    peakInt8Tops: peakInt8Tops(soc),
    soc,
  };
}
