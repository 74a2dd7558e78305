// The transcendental math of the float ops (exp, sigmoid, tanh, pow, softmax), in binary64,
// written with IEEE basic operations only (+ - * /, floor, sqrt, exact bit moves). V8's
// Math.exp/Math.log and AssemblyScript's are different implementations; this algorithm is the
// one both backends run: backend-wasm/assembly/ops/float-math.ts is the same code operation for
// operation (keep the two in step). JS numbers and wasm f64 round every basic operation the
// same way (no fused multiply-add), so the results are bit-identical; callers round the
// binary64 value once to float32 (then float16). Accuracy: test/float-math.test.ts.

// ln 2 split Cody-Waite style: LN2_HI has its low 32 bits zero, so k * LN2_HI is exact for |k| < 2^20.
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const INV_LN2 = Math.LOG2E;
const SQRT2 = Math.SQRT2;
/** exp of |x| beyond this is 0 or +inf in float32 (e^-200, e^200) and stays finite in binary64. */
const EXP_LIMIT = 200;

/** 2^k for |k| <= 300, exact (built by doubling). */
const POW2 = (() => {
  const t = new Float64Array(601);
  t[300] = 1;
  for (let i = 1; i <= 300; i++) {
    t[300 + i] = t[299 + i]! * 2;
    t[300 - i] = t[301 - i]! / 2;
  }
  return t;
})();

/** e^r - 1 for |r| <= ln2 / 2: the Taylor series to r^13 (error < 2^-56 relative), no cancellation. */
function expm1Poly(r: number): number {
  const q =
    0.5 +
    r *
      (0.16666666666666666 +
        r *
          (0.041666666666666664 +
            r *
              (0.008333333333333333 +
                r *
                  (0.001388888888888889 +
                    r *
                      (0.0001984126984126984 +
                        r *
                          (0.0000248015873015873 +
                            r *
                              (0.0000027557319223985893 +
                                r *
                                  (2.755731922398589e-7 +
                                    r *
                                      (2.505210838544172e-8 +
                                        r *
                                          (2.08767569878681e-9 +
                                            r * 1.6059043836821613e-10))))))))));
  return r + r * r * q;
}

/** k = round(x / ln 2) for |x| <= EXP_LIMIT. */
const reductionOf = (x: number): number => Math.floor(x * INV_LN2 + 0.5);

/** e^x; |x| > 200 gives 0 or +inf (their float32 values). */
export function exp64(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x > EXP_LIMIT) return Infinity;
  if (x < -EXP_LIMIT) return 0;
  const k = reductionOf(x);
  const r = x - k * LN2_HI - k * LN2_LO;
  return (1 + expm1Poly(r)) * POW2[300 + k]!;
}

/** e^x - 1 for 0 <= x <= EXP_LIMIT (tanh's argument). */
function expm1Positive(x: number): number {
  const k = reductionOf(x);
  if (k === 0) return expm1Poly(x);
  const r = x - k * LN2_HI - k * LN2_LO;
  return (1 + expm1Poly(r)) * POW2[300 + k]! - 1;
}

/** tanh(x) = q / (q + 2) with q = e^(2|x|) - 1; +-0 and NaN are returned as they are. */
export function tanh64(x: number): number {
  const a = x < 0 ? -x : x;
  if (!(a > 0)) return x;
  let t = 1;
  if (a < 20) {
    const q = expm1Positive(2 * a);
    t = q / (q + 2);
  }
  return x < 0 ? -t : t;
}

export function sigmoid64(x: number): number {
  return 1 / (1 + exp64(-x));
}

const bits = new DataView(new ArrayBuffer(8));

/** ln x for a positive normal finite x: x = 2^e * m with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh(s). */
export function log64(x: number): number {
  bits.setFloat64(0, x);
  const hi = bits.getUint32(0);
  let e = (hi >>> 20) - 1023;
  bits.setUint32(0, (hi & 0xfffff) | 0x3ff00000);
  let m = bits.getFloat64(0);
  if (m > SQRT2) {
    m = m / 2;
    e = e + 1;
  }
  const s = (m - 1) / (m + 1);
  const z = s * s;
  const series =
    z *
    (0.3333333333333333 +
      z *
        (0.2 +
          z *
            (0.14285714285714285 +
              z *
                (0.1111111111111111 +
                  z *
                    (0.09090909090909091 +
                      z *
                        (0.07692307692307693 +
                          z *
                            (0.06666666666666667 +
                              z *
                                (0.058823529411764705 +
                                  z *
                                    (0.05263157894736842 +
                                      z *
                                        (0.047619047619047616 + z * 0.043478260869565216))))))))));
  const lnm = 2 * s + 2 * s * series;
  return e * LN2_HI + (e * LN2_LO + lnm);
}

const isInteger = (y: number): boolean => Math.floor(y) === y;
/** y is an odd integer (|y| < 2^53; larger floats are even). */
const isOdd = (y: number): boolean => isInteger(y) && Math.floor(y / 2) * 2 !== y;

/** x^y with C99 pow's special values (pow(x, 0) = pow(1, y) = 1, even for NaN); x and y are float32 values. */
export function pow64(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (Number.isNaN(x) || Number.isNaN(y)) return x + y;
  if (y === 1) return x;
  if (y === 2) return x * x;
  const ax = x < 0 ? -x : x;
  if (y === Infinity || y === -Infinity) {
    if (ax === 1) return 1;
    return ax > 1 === y > 0 ? Infinity : 0;
  }
  const oddNegative = x < 0 || (x === 0 && 1 / x < 0) ? isOdd(y) : false;
  if (ax === 0 || ax === Infinity) {
    const big = ax === 0 ? y < 0 : y > 0;
    const r = big ? Infinity : 0;
    return oddNegative ? -r : r;
  }
  if (x < 0 && !isInteger(y)) return NaN;
  const r = exp64(y * log64(ax));
  return oddNegative ? -r : r;
}

/** clamp(alpha * x + beta, 0, 1); NaN stays NaN. */
export function hardsigmoid64(x: number, alpha: number, beta: number): number {
  const v = alpha * x + beta;
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
