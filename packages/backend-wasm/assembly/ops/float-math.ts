// The binary64 transcendentals of the float ops: the same algorithm as the cpu's
// tensor/src/reference/float-math.ts, operation for operation (keep the two in step; the
// comments there say why each step is as it is). wasm f64 arithmetic rounds like JS numbers
// and has no fused multiply-add, so both backends get the same bits (checked exhaustively for
// float16 and on random float32 in test/float-math.test.ts).

const LN2_HI: f64 = 0.6931471803691238;
const LN2_LO: f64 = 1.9082149292705877e-10;
const INV_LN2: f64 = 1.4426950408889634;
const SQRT2: f64 = 1.4142135623730951;
const EXP_LIMIT: f64 = 200;

/** 2^k, exact for the |k| <= 300 used here. */
// @ts-ignore: decorator
@inline function pow2(k: f64): f64 {
  return reinterpret<f64>(<u64>(<i64>k + 1023) << 52);
}

// @ts-ignore: decorator
@inline function expm1Poly(r: f64): f64 {
  const q: f64 =
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
                                        r * (2.08767569878681e-9 + r * 1.6059043836821613e-10))))))))));
  return r + r * r * q;
}

// @ts-ignore: decorator
@inline function reductionOf(x: f64): f64 {
  return Math.floor(x * INV_LN2 + 0.5);
}

export function exp64(x: f64): f64 {
  if (isNaN(x)) return x;
  if (x > EXP_LIMIT) return Infinity;
  if (x < -EXP_LIMIT) return 0;
  const k = reductionOf(x);
  const r = x - k * LN2_HI - k * LN2_LO;
  return (1 + expm1Poly(r)) * pow2(k);
}

function expm1Positive(x: f64): f64 {
  const k = reductionOf(x);
  if (k == 0) return expm1Poly(x);
  const r = x - k * LN2_HI - k * LN2_LO;
  return (1 + expm1Poly(r)) * pow2(k) - 1;
}

export function tanh64(x: f64): f64 {
  const a = x < 0 ? -x : x;
  if (!(a > 0)) return x;
  let t: f64 = 1;
  if (a < 20) {
    const q = expm1Positive(2 * a);
    t = q / (q + 2);
  }
  return x < 0 ? -t : t;
}

export function sigmoid64(x: f64): f64 {
  return 1 / (1 + exp64(-x));
}

export function log64(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  const hi = <u32>(bits >> 32);
  let e = <f64>(<i32>(hi >>> 20) - 1023);
  let m = reinterpret<f64>((<u64>((hi & 0xfffff) | 0x3ff00000) << 32) | (bits & 0xffffffff));
  if (m > SQRT2) {
    m = m / 2;
    e = e + 1;
  }
  const s = (m - 1) / (m + 1);
  const z = s * s;
  const series: f64 =
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
                                      z * (0.047619047619047616 + z * 0.043478260869565216))))))))));
  const lnm = 2 * s + 2 * s * series;
  return e * LN2_HI + (e * LN2_LO + lnm);
}

// @ts-ignore: decorator
@inline function isInteger(y: f64): bool {
  return Math.floor(y) == y;
}

// @ts-ignore: decorator
@inline function isOdd(y: f64): bool {
  return isInteger(y) && Math.floor(y / 2) * 2 != y;
}

export function pow64(x: f64, y: f64): f64 {
  if (y == 0 || x == 1) return 1;
  if (isNaN(x) || isNaN(y)) return x + y;
  if (y == 1) return x;
  if (y == 2) return x * x;
  const ax = x < 0 ? -x : x;
  if (y == Infinity || y == -Infinity) {
    if (ax == 1) return 1;
    return (ax > 1) == (y > 0) ? Infinity : 0;
  }
  const oddNegative = x < 0 || (x == 0 && 1 / x < 0) ? isOdd(y) : false;
  if (ax == 0 || ax == Infinity) {
    const big = ax == 0 ? y < 0 : y > 0;
    const r: f64 = big ? Infinity : 0;
    return oddNegative ? -r : r;
  }
  if (x < 0 && !isInteger(y)) return NaN;
  const r = exp64(y * log64(ax));
  return oddNegative ? -r : r;
}

// @ts-ignore: decorator
@inline export function hardsigmoid64(x: f64, alpha: f64, beta: f64): f64 {
  const v = alpha * x + beta;
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
