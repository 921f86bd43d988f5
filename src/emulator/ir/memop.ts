// Memory operation descriptors (TCG's MemOp): size, signedness, alignment.

export const enum MemOp {
  SIZE_8 = 0,
  SIZE_16 = 1,
  SIZE_32 = 2,
  SIZE_64 = 3,
  SIZE_MASK = 3,
  /** Sign-extend the loaded value. */
  SIGN = 4,
  /** Natural alignment is required: a misaligned access raises SIGBUS. */
  ALIGN = 8,
}

export function memopBytes(m: number): number {
  return 1 << (m & MemOp.SIZE_MASK);
}

export function memopName(m: number): string {
  const size = ['8', '16', '32', '64'][m & MemOp.SIZE_MASK];
  return `${m & MemOp.SIGN ? 's' : 'u'}${size}${m & MemOp.ALIGN ? '+al' : ''}`;
}
