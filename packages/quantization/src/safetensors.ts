// safetensors (https://github.com/huggingface/safetensors, "format" section): an 8-byte
// little-endian header length, a JSON header { name: { dtype, shape, data_offsets }, __metadata__:
// { string: string } } padded with spaces to 8 bytes, then the tensors' bytes, little-endian.
// Written by hand: npm has no maintained writer (see the README); the format is this small.

import { ArgumentError, Device, HostStorage, Tensor, dtypes, type DType } from "@tsnpu/tensor";

const CODES: Readonly<Record<string, string>> = {
  bool: "BOOL",
  uint8: "U8",
  int8: "I8",
  int16: "I16",
  int32: "I32",
  int64: "I64",
  float16: "F16",
  float32: "F32",
  float64: "F64",
};
const DTYPE_OF_CODE = new Map(Object.entries(CODES).map(([name, code]) => [code, name]));

interface Entry {
  readonly dtype: string;
  readonly shape: number[];
  readonly data_offsets: [number, number];
}

/** Host bytes of a tensor (contiguous, little-endian: every JS engine tsnpu runs on is). */
function bytesOf(t: Tensor): Uint8Array {
  const a = t.toTypedArray();
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
}

export function writeSafetensors(
  tensors: ReadonlyMap<string, Tensor>,
  metadata: Record<string, string>,
): Uint8Array {
  const header: Record<string, Entry | Record<string, string>> = { __metadata__: metadata };
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of [...tensors].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const bytes = bytesOf(t);
    header[name] = {
      dtype: CODES[t.dtype.name]!,
      shape: [...t.shape],
      data_offsets: [offset, offset + bytes.length],
    };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const bad = (what: string) =>
  new ArgumentError("loadQuantized", "bytes", "a safetensors file", what);

export function readSafetensors(bytes: Uint8Array): {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
} {
  if (!(bytes instanceof Uint8Array) || bytes.length < 8) throw bad(`${bytes?.length ?? 0} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > bytes.length)
    throw bad(`a header of ${headerLength} bytes in a file of ${bytes.length}`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    throw bad(`a header that is not JSON (${(e as Error).message})`);
  }
  const data = bytes.subarray(8 + headerLength);
  const tensors = new Map<string, Tensor>();
  for (const [name, value] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const e = value as Entry;
    const dtype: DType | undefined = dtypes[DTYPE_OF_CODE.get(e.dtype) as keyof typeof dtypes];
    const [begin, end] = e.data_offsets ?? [];
    const count = (e.shape ?? []).reduce((n, d) => n * d, 1);
    if (
      !dtype ||
      begin === undefined ||
      end === undefined ||
      end > data.length ||
      end - begin !== count * dtype.itemSize
    )
      throw bad(
        `tensor "${name}" with dtype ${e.dtype}, shape ${JSON.stringify(e.shape)}, offsets ${JSON.stringify(e.data_offsets)}`,
      );
    const array = dtype.allocate(count);
    new Uint8Array(array.buffer).set(data.subarray(begin, end)); // a copy: aligned for its typed array
    tensors.set(name, Tensor.fromStorage(new HostStorage(dtype, array), e.shape, Device.of("cpu")));
  }
  return { tensors, metadata: (header.__metadata__ ?? {}) as Record<string, string> };
}
