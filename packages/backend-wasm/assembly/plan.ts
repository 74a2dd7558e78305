// The plan: a block of i32 fields in linear memory, written by the JS side once per packed
// weight handle (src/runtime/plan.ts mirrors these indices; keep the two in sync). Kernels read
// their geometry from memory rather than from arguments so that worker threads, which only see
// a plan pointer, run exactly the same code as the main thread.

export const P_MODE: i32 = 0; // MODE_DIRECT | MODE_IM2COL | MODE_PLANE
export const P_N: i32 = 1;
export const P_CIN: i32 = 2;
export const P_H: i32 = 3;
export const P_W: i32 = 4;
export const P_COUT: i32 = 5;
export const P_KH: i32 = 6;
export const P_KW: i32 = 7;
export const P_SH: i32 = 8;
export const P_SW: i32 = 9;
export const P_PH: i32 = 10;
export const P_PW: i32 = 11;
export const P_DH: i32 = 12;
export const P_DW: i32 = 13;
export const P_HO: i32 = 14;
export const P_WO: i32 = 15;
export const P_OFFX: i32 = 16;
export const P_CS: i32 = 17; // channel stride of the padded NHWC copy (elements)
export const P_HP: i32 = 18; // padded height
export const P_WP: i32 = 19; // padded row length: pixels (NHWC) or elements (plane mode)
export const P_KP: i32 = 20; // packed K per output channel, even
export const P_NSEG: i32 = 21; // K is walked as NSEG contiguous runs of SEGLEN int16
export const P_SEGLEN: i32 = 22;
export const P_SEGOFF: i32 = 23; // ptr: i32[NSEG] byte offsets of the runs from a pixel's base
export const P_NCB: i32 = 24; // output-channel blocks of 16
export const P_WPACK: i32 = 25; // ptr: packed int16 weights
export const P_PB: i32 = 26; // pixels per work chunk (even)
export const P_CBG: i32 = 27; // channel blocks per work chunk
export const P_NPB: i32 = 28; // pixel blocks per image
export const P_NCBG: i32 = 29; // channel-block groups
export const P_PAD: i32 = 30; // ptr: padded int16 input
export const P_SCRATCH: i32 = 31; // per call: ptr to the runtime's shared scratch (per-thread blocks)
export const P_SCRATCH_STRIDE: i32 = 32; // bytes per thread
export const P_BIASV: i32 = 33; // ptr: i32[NCB*16], bias padded with zeros
export const P_SCALEV: i32 = 34; // ptr: f32[NCB*16], scale padded with zeros
export const P_IN: i32 = 35; // per call: int8 NCHW input
export const P_BIAS: i32 = 36; // per call: int32 bias or 0
export const P_SCALE: i32 = 37; // per call: float32 scales
export const P_OUT: i32 = 38; // per call: uint16 float16 bits, NCHW
export const P_PREP_CHUNKS: i32 = 39;
export const P_WORK_CHUNKS: i32 = 40;
export const P_K: i32 = 41; // true K = CIN*KH*KW
export const P_SEGKIND: i32 = 42; // SEG_ROW | SEG_TAP | SEG_DENSE (how K indices map to (c,u,v))
export const P_TMP: i32 = 43; // ptr: 64 bytes per thread for partial stores
export const P_FIELDS: i32 = 44;

export const MODE_DIRECT: i32 = 0; // implicit GEMM over a padded NHWC copy, no im2col
export const MODE_IM2COL: i32 = 1; // small/odd Cin: dense im2col rows per chunk, then GEMM
export const MODE_PLANE: i32 = 2; // Cout <= 4, stride_w 1: lanes are output pixels
export const MODE_WINOGRAD: i32 = 3; // 3x3, stride 1, dilation 1: integer Winograd F(2x2, 3x3)

export const SEG_ROW: i32 = 0; // one run per kernel row u: elements (v, c), c < CS
export const SEG_TAP: i32 = 1; // one run per tap (u, v): elements c < CS
export const SEG_DENSE: i32 = 2; // one run: (u, v, c) with c < CIN, zero beyond K

// @ts-ignore: decorator
@inline export function pf(plan: usize, idx: i32): i32 {
  return load<i32>(plan + (<usize>idx << 2));
}
// @ts-ignore: decorator
@inline export function pp(plan: usize, idx: i32): usize {
  return <usize>load<u32>(plan + (<usize>idx << 2));
}
