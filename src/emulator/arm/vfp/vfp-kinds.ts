// The operations behind the IR op `vfp` (ir/opcodes.ts). One `vfp` op is one
// VFP data-processing instruction on the register file in env; its constants
// are (kind, dp, d, n, m). The backend emits an inline fast path for the
// common kinds (backend/emit-vfp.ts); every kind has an exact path in
// vfp-helper.ts. Register numbers are S or D numbers as the precision says.

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
  /** FPSCR.NZCV = compare(d, m), m < 0 compares with +0; n = 1 for VCMPE. */
  CMP = 10,
  /** Between precisions: dp = 1 is F64 <- F32 (d is a D number, m an S number), dp = 0 is F32 <- F64. */
  CVT_FF = 11,
  /** Integer in Sm to floating point in d (dp: destination precision); n: ConvFlag.SIGNED. */
  CVT_IF = 12,
  /** Floating point m (dp: source precision) to an integer in Sd; n: ConvFlag.SIGNED | ConvFlag.ROUND_ZERO. */
  CVT_FI = 13,
  /** Fixed point in d to floating point in place; n: SIGNED | WIDTH32; m: fraction bits. */
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

export const VFP_KIND_NAMES: readonly string[] = [
  'add', 'sub', 'mul', 'nmul', 'div', 'mla', 'mls', 'nmla', 'nmls', 'sqrt', 'cmp', 'cvt_ff', 'cvt_if', 'cvt_fi', 'cvt_xf', 'cvt_fx',
];
