// The default random generator: deterministic after manualSeed(n), like torch.manual_seed
// (the streams differ from torch's; only determinism is promised).

import { ArgumentError, describe } from "./errors.js";

/** xoshiro128** : small, fast, and good enough for test data and initialisation. */
class Generator {
  private s = new Uint32Array(4);
  constructor(seed: number) {
    this.seed(seed);
  }
  seed(seed: number): void {
    // splitmix32 expands the seed into the four state words.
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }
  /** Uniform in [0, 1) with 53 random bits. */
  nextFloat(): number {
    return ((this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6)) / 9007199254740992;
  }
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

const defaultGenerator = new Generator(Date.now());

/** Seeds the default generator: the same seed gives the same rand/randn/randint streams. */
export function manualSeed(seed: number): void {
  if (!Number.isSafeInteger(seed))
    throw new ArgumentError("manualSeed", "seed", "a safe integer", describe(seed));
  defaultGenerator.seed(seed);
}

export function randomUniform(): number {
  return defaultGenerator.nextFloat();
}

/** Uniform integer in [low, high). */
export function randomInt(low: number, high: number): number {
  return low + Math.floor(defaultGenerator.nextFloat() * (high - low));
}

/** Standard normal (Box-Muller). */
export function randomNormal(): number {
  let u = 0;
  while (u === 0) u = defaultGenerator.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * defaultGenerator.nextFloat());
}
