// The one definition of the boundary between the JS side and the kernel module: plan field
// indices, control-block offsets, dtype codes and op codes. Both compilers read this file:
// tsc for src/ and asc for assembly/ (which imports it), so the two sides cannot drift apart.
// The module also exports every constant as a global, and WasmRuntime.create compares them
// with these values (src/runtime/exports.ts), so a module built from another version of this
// file is refused at start-up instead of corrupting memory.
//
// Keep it valid in both languages: only `export const NAME = <integer literal>;` and comments
// (asc types such a constant as i32).

// ---- The QuantConv2d plan: i32 fields in linear memory, written by src/runtime/plan.ts and
// packed-conv.ts, read by the kernels (assembly/plan.ts's pf/pp). Worker threads only see a
// plan pointer, so every geometry value a kernel needs is a field here.
export const P_MODE = 0; // MODE_*
export const P_N = 1;
export const P_CIN = 2;
export const P_H = 3;
export const P_W = 4;
export const P_COUT = 5;
export const P_KH = 6;
export const P_KW = 7;
export const P_SH = 8;
export const P_SW = 9;
export const P_PH = 10;
export const P_PW = 11;
export const P_DH = 12;
export const P_DW = 13;
export const P_HO = 14;
export const P_WO = 15;
export const P_OFFX = 16;
export const P_CS = 17; // channel stride of the padded NHWC copy (elements)
export const P_HP = 18; // padded height
export const P_WP = 19; // padded row length: pixels (NHWC) or elements (plane mode)
export const P_KP = 20; // packed K per output channel, even
export const P_NSEG = 21; // K is walked as NSEG contiguous runs of SEGLEN int16
export const P_SEGLEN = 22;
export const P_SEGOFF = 23; // ptr: i32[NSEG] byte offsets of the runs from a pixel's base
export const P_NCB = 24; // output-channel blocks of 16
export const P_WPACK = 25; // ptr: packed int16 weights
export const P_PB = 26; // pixels (Winograd: tiles) per work chunk
export const P_CBG = 27; // channel blocks per work chunk
export const P_NPB = 28; // pixel (tile) blocks per image
export const P_NCBG = 29; // channel-block groups
export const P_PAD = 30; // ptr: padded int16 input
export const P_SCRATCH = 31; // per call: ptr to the runtime's shared scratch (per-thread blocks)
export const P_SCRATCH_STRIDE = 32; // bytes per thread
export const P_BIASV = 33; // ptr: i32[NCB*16], bias padded with zeros
export const P_SCALEV = 34; // ptr: f32[NCB*16], scale padded with zeros
export const P_IN = 35; // per call: int8 NCHW input
export const P_BIAS = 36; // per call: int32 bias or 0
export const P_SCALE = 37; // per call: float32 scales
export const P_OUT = 38; // per call: uint16 float16 bits, NCHW
export const P_PREP_CHUNKS = 39; // phase-1 chunks (padding rows)
export const P_WORK_CHUNKS = 40; // phase-2 chunks
export const P_K = 41; // true K = CIN*KH*KW
export const P_SEGKIND = 42; // SEG_*: how K indices map to (c, u, v)
export const P_TMP = 43; // ptr: 64 bytes per thread for partial stores
export const PLAN_FIELDS = 55; // the plan's length in i32 (P_GROUPS .. P_XIMAGE, P_XCOL .. P_FZEROTAPS: float conv; P_EPI: QuantConv2d 1x1)

export const MODE_DIRECT = 0; // implicit GEMM straight from a padded NHWC int16 copy
export const MODE_IM2COL = 1; // small or odd Cin: dense im2col rows per chunk, then the GEMM
export const MODE_PLANE = 2; // Cout <= 4 and stride_w 1: SIMD lanes are output pixels
export const MODE_WINOGRAD = 3; // 3x3, stride 1, dilation 1: integer Winograd F(2x2, 3x3)
// Cin <= 4, stride_w 2, dilation_w 1 (an RGB stem): lanes are output pixels read from a planar
// int16 copy, whose rows hold each 4 pixels' tap pairs contiguously (assembly/stem.ts).
// P_KP: its steps, the first P_NSEG with one load per pixel vector, the others with two (odd
// kernel widths); P_SEGOFF: their byte offsets, 2 words per step.
export const MODE_STEM = 6;
// Padded rows (of every channel) per phase-1 chunk of the stem mode: on 2 threads, claiming
// single rows cost more than copying them.
export const STEM_PREP_ROWS = 8;
// Bytes at the end of each thread's scratch (pointwise and stem modes) for a spilled register
// tile (assembly/quad.ts).
export const QUAD_SPILL_BYTES = 128;

export const SEG_ROW = 0; // one run per kernel row u: elements (v, c), c < CS
export const SEG_TAP = 1; // one run per tap (u, v): elements c < CS
export const SEG_DENSE = 2; // one run: (u, v, c) with c < CIN, zero beyond K

// ---- The control block of the thread pool (assembly/pool.ts), byte offsets. The JS side
// allocates it (controlBytes) and writes C_SPIN_US and C_QUIT. Hot words sit on separate
// 64-byte lines.
export const C_GEN = 0; // i32: call generation; idle workers wait on it
export const C_PLAN = 64; // u32: plan of the current generation
export const C_QUIT = 72; // i32: 1 tells the workers to return
export const C_SPIN_US = 76; // i32: µs a thread polls before it sleeps (idle workers, waiting caller)
export const C_SLEEPERS = 80; // i32: workers inside wait32
export const C_CLAIM = 128; // i64: (generation << 32) | next unclaimed phase-1 row
export const C_NTHREADS = 136; // i32: threads of the current generation
export const C_COMPLETED = 192; // i32: chunks (rows and work) finished in this generation
export const C_MAINWAIT = 256; // i32: 1 while the calling thread sleeps on C_COMPLETED
export const C_P1DONE = 320; // i32: phase-1 rows finished in this generation
export const C_RANGES = 512; // i64 per thread, 64 bytes apart: (generation << 32) | next chunk

// ---- Element dtypes of the ops kernels (assembly/ops/*; src/kernels/shared.ts maps DTypes).
export const DTYPE_F32 = 0;
export const DTYPE_F16 = 1;
export const DTYPE_I32 = 2;
export const DTYPE_I8 = 3;

// ---- Op codes. unary: neg, abs (relu and clamp have their own exports).
export const UNARY_NEG = 0;
export const UNARY_ABS = 1;

// binary: add and sub with alpha 1 stay in float32 lanes; other alphas need double lanes.
export const BINARY_ADD = 0;
export const BINARY_AXPY = 1; // add with alpha != 1
export const BINARY_MUL = 2;
export const BINARY_SUB = 3;
export const BINARY_SUB_ALPHA = 4; // sub with alpha != 1
export const BINARY_DIV = 5;

// reduce
export const REDUCE_SUM = 0;
export const REDUCE_MEAN = 1;
export const REDUCE_AMAX = 2;
export const REDUCE_AMIN = 3;
export const REDUCE_ARGMAX = 4;

// npu_quantize's uint8 output (assembly/ops/quantize.ts; its other outputs use DTYPE_I8/I32).
export const DTYPE_U8 = 4;

// The activation npu_quantize applies first in a fused QuantConv2d -> relu/clamp -> npu_quantize step.
export const ACT_NONE = 0;
export const ACT_RELU = 1;
export const ACT_CLAMP = 2;
// ---- Float conv2d (assembly/conv-float.ts) runs on the thread pool with its own plan: the
// QuantConv2d fields P_N .. P_WO, P_IN, P_BIAS, P_OUT, P_WPACK (float32 OIHW weights),
// P_PREP_CHUNKS (0) and P_WORK_CHUNKS keep their meaning; these are added.
export const MODE_FLOAT_CONV = 4; // P_MODE of a float conv2d plan
export const P_GROUPS = 44;
export const P_ODTYPE = 45; // DTYPE_F32 or DTYPE_F16 results
// The float32 input's strides in elements (its W stride is 1), so views need no copy.
export const P_XROW = 46;
export const P_XCHANNEL = 47;
export const P_XIMAGE = 48;
// floatUnary (assembly/ops/activation.ts): the float activations and transcendentals.
export const FLOAT_EXP = 0;
export const FLOAT_SIGMOID = 1;
export const FLOAT_TANH = 2;
export const FLOAT_SQRT = 3;
export const FLOAT_HARDSWISH = 4;
export const FLOAT_HARDSIGMOID = 5;
export const FLOAT_LEAKY_RELU = 6;

// equal (assembly/ops/activation.ts): how eq compares its (cast) operands.
export const EQ_RAW = 0; // integers and bool: the bits
export const EQ_F32 = 1;
export const EQ_F16 = 2;
export const EQ_F64 = 3;
// ---- Element-wise ops on the thread pool (assembly/ops/eltwise.ts): a plan of ELT_PLAN_FIELDS
// i32 with P_MODE = MODE_ELTWISE, P_PREP_CHUNKS = 0 and P_WORK_CHUNKS; its other words are the
// EW_* below (pool.ts reads no other P_* of it). Chunk c covers items [c * EW_CHUNK,
// min((c + 1) * EW_CHUNK, EW_ITEMS)): elements, or output rows of max_pool2d.
export const MODE_ELTWISE = 16;
export const ELT_PLAN_FIELDS = 41;
export const EW_KIND = 1; // ELT_*
export const EW_ITEMS = 2;
export const EW_CHUNK = 3;
export const EW_DTYPE = 4; // DTYPE_* of the elements (quantize, cast: of the input)
export const EW_SRC = 5; // ptr
export const EW_SRC2 = 6; // ptr: binary's second operand (0: the scalar)
export const EW_DST = 7; // ptr
export const EW_OP = 8; // BINARY_* (binary), DTYPE_* of the output (quantize)
export const EW_RELU = 9; // 1: relu applied to the binary result (a fused add -> relu)
export const EW_ALPHA = 10; // f64 (words 10-11)
export const EW_SCALAR = 12; // f64 (words 12-13)
export const EW_PARAMS = 14; // ptr: quantize's per-tensor factor, zero, nan
export const EW_LO = 15;
export const EW_HI = 16;
export const EW_DIV = 17;
export const EW_GEOM = 18; // max_pool2d: planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw, hOut, wOut
export const ELT_BINARY = 0;
export const ELT_RELU = 1;
export const ELT_QUANTIZE = 2;
export const ELT_CAST_F32_F16 = 3;
export const ELT_CAST_F16_F32 = 4;
export const ELT_MAX_POOL = 5;

// ---- QuantConv2d 1x1 (stride 1, no padding): a GEMM over channels straight from the NCHW int8
// input (assembly/pointwise.ts). Lanes are output pixels; P_KP holds the channel pairs,
// P_PB pixels per chunk (a multiple of 8), P_CBG / P_NCBG groups of 4 output channels.
export const MODE_POINTWISE = 5;
// ptr: an epilogue block (E_* words, below) or 0 for the plain float16 result. MODE_POINTWISE
// only. It fuses what follows the conv in a graph (src/kernels/fused-quant-conv2d.ts).
export const P_EPI = 49;
// The epilogue block, i32 words: each step works on the conv's float16 value exactly as the
// unfused graph's kernels do (add rounds to float16, relu keeps -0/NaN, quantize per
// docs/semantics/npu-quantize.md).
export const E_SKIP = 0; // per call: ptr to float16 data of the output's shape added to it, or 0
export const E_SKIP_FIRST = 1; // 1: the add is skip + conv (its NaN wins), 0: conv + skip
export const E_ACT = 2; // ACT_* applied after the add
export const E_ACT_LO = 3; // clamp bounds, float32 bits
export const E_ACT_HI = 4;
export const E_QUANT = 5; // 0: float16 result; DTYPE_I8 / DTYPE_U8: npu_quantize into that
export const E_QPARAMS = 6; // ptr: f32 factor[c], f32 zero[c], i32 nan[c] (quantizeParams)
export const E_QCHANNELS = 7; // parameter sets in E_QPARAMS: 1 (one for all) or Cout (one per channel)
export const E_QDIV = 8;
export const E_QLO = 9;
export const E_QHI = 10;
export const EPI_WORDS = 11;

// Float conv2d, float16-native (assembly/conv-float.ts): the input's W stride in elements (any
// value >= 0), the output rows and channels of one work chunk, and the floats of one phase of
// a buffered input row. P_SCRATCH / P_SCRATCH_STRIDE keep their meaning (per-thread blocks).
export const P_XCOL = 50;
export const P_FBAND = 51;
export const P_FBLOCK = 52;
export const P_FPHASE = 53;
// 1: taps outside the input are zeros of a fused constant_pad_nd, added (not skipped) like any.
export const P_FZEROTAPS = 54;
// ---- Strided copies (copy, cat) on the pool: an element-wise plan whose items are rows
// (assembly/ops/copy.ts copyRows); EW_DTYPE holds the element bytes, EW_GEOM n1, n2, n3 and the
// source's then the destination's 4 strides in elements.
export const ELT_COPY = 6;
