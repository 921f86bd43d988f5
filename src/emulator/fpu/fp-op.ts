// The IR op `vfp` (ir/opcodes.ts): one VFP data-processing instruction on
// registers that live in env words. Its constants are
//
//   (kind, dp, d, n, m, status)
//
// kind: a VfpKind below; dp: 1 for binary64, 0 for binary32; d, n, m: env
// word indices of the registers (a binary64 register is two words, low word
// first, at an even index) except where a kind says otherwise; status: the
// env word index of the status register, which has the layout of ARM's FPSCR
// (Fpscr below). The front end (arm/vfp/) chooses the words; the backend
// (backend/emit-vfp.ts) emits an inline fast path for the common kinds, and
// every kind has an exact path (fpu-helper.ts). This folder is QEMU's fpu/:
// IEEE arithmetic with the ARM rules (NaN propagation, default NaN, FZ,
// flags) and no knowledge of where a front end keeps its registers.

export const enum VfpKind {
  /** d = n + m */
  ADD = 0,
  /** d = n - m */
  SUB = 1,
  /** d = n * m */
  MUL = 2,
  /** d = -(n * m) */
  NMUL = 3,
  /** d = n / m */
  DIV = 4,
  /** d = d + n*m (two roundings) */
  MLA = 5,
  /** d = d + -(n*m) */
  MLS = 6,
  /** d = -d + -(n*m) */
  NMLA = 7,
  /** d = -d + n*m */
  NMLS = 8,
  /** d = sqrt(m) */
  SQRT = 9,
  /** status.NZCV = compare(d, m); m < 0 compares with +0; n = 1 for VCMPE (signalling). */
  CMP = 10,
  /** Between precisions: dp = 1 is binary64 d <- binary32 m, dp = 0 is binary32 d <- binary64 m. */
  CVT_FF = 11,
  /** The integer word m to floating point d (dp: d's precision); n: ConvFlag.SIGNED. */
  CVT_IF = 12,
  /** Floating point m (dp: its precision) to the integer word d; n: ConvFlag.SIGNED | ConvFlag.ROUND_ZERO. */
  CVT_FI = 13,
  /** Fixed point in d to floating point in place (round to nearest); n: SIGNED | WIDTH32; m: fraction bits. */
  CVT_XF = 14,
  /** Floating point in d to fixed point in place (round toward zero); n: SIGNED | WIDTH32; m: fraction bits. */
  CVT_FX = 15,
}

export const enum ConvFlag {
  SIGNED = 1,
  /** Float to integer: round toward zero (VCVT) instead of FPSCR.RMode (VCVTR). */
  ROUND_ZERO = 2,
  /** Fixed point: 32-bit instead of 16-bit integer. */
  WIDTH32 = 4,
}


/** The status word: ARM's FPSCR (ARM ARM B6.1.51; values as FPSCR holds them). */
export const enum Fpscr {
  N = 0x80000000,
  Z = 0x40000000,
  C = 0x20000000,
  V = 0x10000000,
  NZCV_MASK = 0xf0000000,
  /** Default NaN mode. */
  DN = 1 << 25,
  /** Flush-to-zero mode. */
  FZ = 1 << 24,
  RMODE_SHIFT = 22,
  RMODE_MASK = 3 << 22,
  /** Short-vector stride and length: mttcg does not emulate short vectors. */
  STRIDE_LEN_MASK = 0x00370000,
  /** Cumulative exception flags. */
  IOC = 1 << 0,
  DZC = 1 << 1,
  OFC = 1 << 2,
  UFC = 1 << 3,
  IXC = 1 << 4,
  IDC = 1 << 7,
  FLAGS_MASK = 0x9f,
  /**
   * Bits a VMSR keeps (what qemu-arm -cpu cortex-a9 keeps: NZCV, QC, AHP,
   * DN, FZ, RMode, Stride, Len, the six flags; trap enables read as zero).
   */
  WRITABLE = 0xfff7009f,
  /**
   * The inline fast path of the arithmetic ops needs RMode = round to nearest,
   * and IXC already set: `(fpscr & FAST_MASK) === FAST_VALUE`; under FZ also
   * operands that are normal or zero.
   */
  FAST_MASK = 0x00c00010,
  FAST_VALUE = 0x10,
}
