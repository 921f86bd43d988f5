// The IR op set: one table, the single source of truth (QEMU's tcg-opc.h).
//
// Every value is a 32-bit integer held in a temp. Globals (guest registers and
// flags) are the first temps of every TB; see `globals.ts`. An op instance is
// (opcode, outputs, inputs, constants). The passes read the flags below:
// the optimiser folds PURE ops, liveness removes an op without SIDE_EFFECTS
// whose outputs are all dead, and treats BB_END as a TB exit (every global
// live there) and MAY_FAULT as a possible exit to a signal handler.

/** A function of its inputs and constants only: the optimiser may fold it (implies no side effects). */
export const OPF_PURE = 1 << 0;
/** Ends the TB (control leaves the function). */
export const OPF_BB_END = 1 << 1;
/**
 * Has effects beyond its outputs (memory, env, may fault, control flow,
 * markers): never removed. Ops without it are removed when their outputs are dead.
 */
export const OPF_SIDE_EFFECTS = 1 << 2;
/**
 * Can raise a guest fault (a memory access): the signal handler sees every
 * guest register and flag there, so liveness keeps all globals live before it.
 */
export const OPF_MAY_FAULT = 1 << 3;

export interface OpDef {
  /** Number of output temps. */
  readonly outs: number;
  /** Number of input temps. */
  readonly ins: number;
  /** Number of constant arguments (numbers baked into the generated code). */
  readonly consts: number;
  readonly flags: number;
}

const pure = (outs: number, ins: number, consts = 0): OpDef => ({ outs, ins, consts, flags: OPF_PURE });

export const OPCODES = {
  // moves
  mov: pure(1, 1),
  movi: pure(1, 0, 1),
  // arithmetic and logic on 32-bit values (results wrap to int32)
  add: pure(1, 2),
  sub: pure(1, 2),
  mul: pure(1, 2),
  and: pure(1, 2),
  or: pure(1, 2),
  xor: pure(1, 2),
  andc: pure(1, 2), // a & ~b
  neg: pure(1, 1),
  not: pure(1, 1),
  // shifts: the amount input is taken modulo 32 (JavaScript and TCG agree here);
  // the translator builds ARM's 0..255 register shift semantics from these.
  shl: pure(1, 2),
  shr: pure(1, 2),
  sar: pure(1, 2),
  rotr: pure(1, 2),
  // bit manipulation
  clz: pure(1, 1),
  bswap32: pure(1, 1),
  bswap16: pure(1, 1), // swaps the bytes inside each halfword (REV16)
  rbit: pure(1, 1),
  ext8s: pure(1, 1),
  ext8u: pure(1, 1),
  ext16s: pure(1, 1),
  ext16u: pure(1, 1),
  extract: pure(1, 1, 2), // consts: pos, len — unsigned bitfield
  sextract: pure(1, 1, 2), // consts: pos, len — signed bitfield
  deposit: pure(1, 2, 2), // out = a with bits [pos, pos+len) replaced by b; consts: pos, len
  // comparisons (const: Cond from cond.ts)
  setcond: pure(1, 2, 1), // out = (a cond b) ? 1 : 0
  movcond: pure(1, 4, 1), // out = (a cond b) ? c : d
  // wide multiply and carry arithmetic
  mulu2: pure(2, 2), // (lo, hi) = a * b, unsigned 64-bit product
  muls2: pure(2, 2), // (lo, hi) = a * b, signed 64-bit product
  add2: pure(2, 4), // (lo, hi) = (alo, ahi) + (blo, bhi)
  sub2: pure(2, 4), // (lo, hi) = (alo, ahi) - (blo, bhi)
  divs: pure(1, 2), // ARM SDIV: x / 0 = 0, INT_MIN / -1 = INT_MIN
  divu: pure(1, 2), // ARM UDIV: x / 0 = 0
  // per-vCPU state slots outside the register globals (const: env slot index)
  ld_env: { outs: 1, ins: 0, consts: 1, flags: 0 }, // reads state, so not PURE; removable when dead
  st_env: { outs: 0, ins: 1, consts: 1, flags: OPF_SIDE_EFFECTS },
  // plain guest memory through the SoftMMU (consts: MemOp, guest pc of the access)
  qemu_ld: { outs: 1, ins: 1, consts: 2, flags: OPF_SIDE_EFFECTS | OPF_MAY_FAULT },
  qemu_st: { outs: 0, ins: 2, consts: 2, flags: OPF_SIDE_EFFECTS | OPF_MAY_FAULT },
  // atomics, lowered by the active strategy (consts: MemOp, guest pc)
  ld_excl: { outs: 2, ins: 1, consts: 2, flags: OPF_SIDE_EFFECTS | OPF_MAY_FAULT }, // (lo, hi) = [addr]
  st_excl: { outs: 1, ins: 3, consts: 2, flags: OPF_SIDE_EFFECTS | OPF_MAY_FAULT }, // status = strex(addr, lo, hi)
  clrex: { outs: 0, ins: 0, consts: 0, flags: OPF_SIDE_EFFECTS },
  swap: { outs: 1, ins: 2, consts: 2, flags: OPF_SIDE_EFFECTS | OPF_MAY_FAULT }, // old = xchg(addr, new)
  cmpxchg: { outs: 1, ins: 3, consts: 2, flags: OPF_SIDE_EFFECTS | OPF_MAY_FAULT }, // ok = ([addr]==old ? ([addr]=new, 1) : 0)
  cmpxchg64: { outs: 1, ins: 3, consts: 1, flags: OPF_SIDE_EFFECTS | OPF_MAY_FAULT }, // ok = cas64(ptr, *oldptr, *newptr); const: pc
  mb: { outs: 0, ins: 0, consts: 1, flags: OPF_SIDE_EFFECTS }, // const: BarrierKind
  // one VFP data-processing instruction on registers in env words
  // (consts: kind, dp, d, n, m, status; fpu/fp-op.ts, backend/emit-vfp.ts)
  vfp: { outs: 0, ins: 0, consts: 6, flags: OPF_SIDE_EFFECTS },
  // control flow inside the TB: forward, well-nested branches only (see backend)
  brcond: { outs: 0, ins: 2, consts: 2, flags: OPF_SIDE_EFFECTS }, // consts: Cond, label
  set_label: { outs: 0, ins: 0, consts: 1, flags: OPF_SIDE_EFFECTS },
  // markers and exits
  insn_start: { outs: 0, ins: 0, consts: 2, flags: OPF_SIDE_EFFECTS }, // consts: guest pc, instruction word
  goto_tb: { outs: 0, ins: 0, consts: 2, flags: OPF_BB_END | OPF_SIDE_EFFECTS }, // consts: exit slot (0|1), destination pc
  exit_indirect: { outs: 0, ins: 1, consts: 0, flags: OPF_BB_END | OPF_SIDE_EFFECTS }, // destination pc in a temp
  exit_special: { outs: 0, ins: 0, consts: 2, flags: OPF_BB_END | OPF_SIDE_EFFECTS }, // consts: ExitReason, guest pc to resume/report
} as const satisfies Record<string, OpDef>;

export type Opcode = keyof typeof OPCODES;

/** An op instance. `args` holds outputs, then inputs, then constants. */
export interface Op {
  opc: Opcode;
  args: number[];
}
