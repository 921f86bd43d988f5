// The cold tier's lowering of every IR op: a closure ("step") per op, with
// its operands resolved to frame slots when the TB is built (a closure-
// threaded interpreter, QEMU's TCI in spirit). Building steps costs no
// JavaScript compilation, which is what makes code that runs a few times
// cheap. The table is keyed by opcode and typed from the IR table, so an op
// without a step is a compile error.
//
// A step returns STEP_NEXT, a jump to step j as -2 - j, or an exit code for
// the cpu loop (>= 0, see exit-codes.ts). Two-input ALU ops and comparisons
// have a closure per op and operand form (backend/interp-alu.ts), with an
// immediate second input where the TB's ops allow it
// (backend/interp-peephole.ts). Atomic ops are compiled from the
// strategy's own JavaScript lowering (once per instruction and vCPU), so both
// tiers run exactly the strategy's code.

import { type Cond, evalCond } from '../ir/cond.js';
import { ExitReason } from '../ir/exit-reason.js';
import { bswap16, bswap32, depositMask, fieldMask, mulhs, mulhu, rbit } from '../ir/fold.js';
import { MemOp } from '../ir/memop.js';
import type { Op, Opcode } from '../ir/opcodes.js';
import { PAGE_BITS, PAGE_MASK } from '../softmmu/page-bits.js';
import { TLB_INDEX_MASK } from '../softmmu/tlb.js';
import { vfpVariantIndex } from './emit-vfp.js';
import { FIRST_DIRECT_EXIT } from './exit-codes.js';
import { ALU, type AluOpcode, anyAluStep, brcondStep, setcondStep } from './interp-alu.js';
import { type ConstTemps, immediateInput } from './interp-peephole.js';
import { STEP_NEXT, type Step } from './interp-step.js';
import type { VfpOp } from './vfp-fast-ops.js';

export { STEP_NEXT, type Step } from './interp-step.js';

/** The vCPU state a step reaches, all fixed for the vCPU's lifetime. */
export interface StepRuntime {
  /** The frame: env slots first (IR globals are env slots), then TB temps. */
  readonly F: Int32Array;
  readonly M8: Uint8Array;
  readonly M8s: Int8Array;
  readonly M16: Uint16Array;
  readonly M16s: Int16Array;
  readonly M32: Int32Array;
  readonly TR: Int32Array;
  readonly TW: Int32Array;
  readonly TA: Int32Array;
  readonly ld: (addr: number, memop: number, pc: number) => number;
  readonly st: (addr: number, value: number, memop: number, pc: number) => void;
  /** The VFP variants' functions (vfp-fast-ops.ts): fast path, then the exact path. */
  readonly VF: VfpOp[];
}

export interface StepContext {
  readonly rt: StepRuntime;
  /** Frame slot of an IR temp. */
  s(temp: number): number;
  /** Constants of temps set once by a movi (backend/interp-peephole.ts): an op may take them as immediates. */
  readonly consts: ConstTemps;
  /** The TB was rewritten (it runs often): ops get their own closures (backend/interp-alu.ts). */
  readonly fast: boolean;
  /** Step index where a label is set. */
  label(l: number): number;
  readonly pcSlot: number;
  /** A step that runs the op's JavaScript lowering (used for the strategy's atomic ops). */
  compiled(op: Op): Step;
}

/** Builds the step of one op; null for markers that need none (their opcodes are in NO_STEP). */
export type StepFactory = (op: Op, cx: StepContext) => Step | null;

/** Ops that produce no step (label positions are counted without them). */
export const NO_STEP: ReadonlySet<Opcode> = new Set<Opcode>(['insn_start', 'set_label']);

type Bin = (x: number, y: number) => number;
type Un = (x: number) => number;

function unary(f: Un): StepFactory {
  return (op, cx) => {
    const F = cx.rt.F;
    const d = cx.s(op.args[0]!);
    const a = cx.s(op.args[1]!);
    return () => {
      F[d] = f(F[a]!);
      return STEP_NEXT;
    };
  };
}

/** A two-input ALU op: the shared closure, or its own over two slots or a slot and an immediate. */
function alu(opc: AluOpcode): StepFactory {
  const forms = ALU[opc];
  return (op, cx) => {
    const F = cx.rt.F;
    const d = cx.s(op.args[0]!);
    if (!cx.fast) return anyAluStep(opc, F, d, cx.s(op.args[1]!), cx.s(op.args[2]!));
    switch (immediateInput(op, cx.consts)) {
      case 2: return forms.imm!(F, d, cx.s(op.args[1]!), cx.consts.get(op.args[2]!)!);
      case 1: return forms.imm!(F, d, cx.s(op.args[2]!), cx.consts.get(op.args[1]!)!);
      default: return forms.reg(F, d, cx.s(op.args[1]!), cx.s(op.args[2]!));
    }
  };
}

const mov: StepFactory = (op, cx) => {
  const F = cx.rt.F;
  const d = cx.s(op.args[0]!);
  const a = cx.s(op.args[1]!);
  return () => {
    F[d] = F[a]!;
    return STEP_NEXT;
  };
};

const movi: StepFactory = (op, cx) => {
  const F = cx.rt.F;
  const d = cx.s(op.args[0]!);
  const v = op.args[1]! | 0;
  return () => {
    F[d] = v;
    return STEP_NEXT;
  };
};

const brcond: StepFactory = (op, cx) => {
  const imm = immediateInput(op, cx.consts) === 1;
  const b = imm ? cx.consts.get(op.args[1]!)! : cx.s(op.args[1]!);
  return brcondStep(cx.rt.F, cx.s(op.args[0]!), b, imm, op.args[2]! as Cond, -2 - cx.label(op.args[3]!), cx.fast);
};

const setcond: StepFactory = (op, cx) => {
  const imm = immediateInput(op, cx.consts) === 2;
  const b = imm ? cx.consts.get(op.args[2]!)! : cx.s(op.args[2]!);
  return setcondStep(cx.rt.F, cx.s(op.args[0]!), cx.s(op.args[1]!), b, imm, op.args[3]! as Cond);
};

const movcond: StepFactory = (op, cx) => {
  const F = cx.rt.F;
  const d = cx.s(op.args[0]!);
  const a = cx.s(op.args[1]!);
  const b = cx.s(op.args[2]!);
  const x = cx.s(op.args[3]!);
  const y = cx.s(op.args[4]!);
  const c = op.args[5]! as Cond;
  return () => {
    F[d] = evalCond(c, F[a]!, F[b]!) ? F[x]! : F[y]!;
    return STEP_NEXT;
  };
};

/** A 64-bit product of two inputs as (lo, hi); both computed before either is written (an output may alias an input). */
function mul2(high: Bin): StepFactory {
  return (op, cx) => {
    const F = cx.rt.F;
    const lo = cx.s(op.args[0]!);
    const hi = cx.s(op.args[1]!);
    const a = cx.s(op.args[2]!);
    const b = cx.s(op.args[3]!);
    return () => {
      const x = F[a]!, y = F[b]!;
      const h = high(x, y);
      F[lo] = Math.imul(x, y);
      F[hi] = h;
      return STEP_NEXT;
    };
  };
}

/** add2 or sub2: (lo, hi) = (al, ah) +/- (bl, bh); both words computed before either is written (an output may alias an input). */
function wide(subtract: boolean): StepFactory {
  return (op, cx) => {
    const F = cx.rt.F;
    const lo = cx.s(op.args[0]!);
    const hi = cx.s(op.args[1]!);
    const al = cx.s(op.args[2]!);
    const ah = cx.s(op.args[3]!);
    const bl = cx.s(op.args[4]!);
    const bh = cx.s(op.args[5]!);
    if (subtract) {
      return () => {
        const a = F[al]!, b = F[bl]!;
        const h = F[ah]! - F[bh]! - ((a >>> 0) < (b >>> 0) ? 1 : 0);
        F[lo] = a - b;
        F[hi] = h;
        return STEP_NEXT;
      };
    }
    return () => {
      const a = F[al]!;
      const l = (a + F[bl]!) | 0;
      const h = F[ah]! + F[bh]! + ((l >>> 0) < (a >>> 0) ? 1 : 0);
      F[lo] = l;
      F[hi] = h;
      return STEP_NEXT;
    };
  };
}

/** Copies between a temp and an env slot (the frame starts with env). */
function envCopy(toEnv: boolean): StepFactory {
  return (op, cx) => {
    const F = cx.rt.F;
    const t = cx.s(op.args[0]!);
    const slot = op.args[1]!;
    const d = toEnv ? slot : t;
    const a = toEnv ? t : slot;
    return () => {
      F[d] = F[a]!;
      return STEP_NEXT;
    };
  };
}

/** Host view and index shift of an inline access. */
function accessKind(memop: number): 'u8' | 's8' | 'u16' | 's16' | 'u32' {
  switch (memop & (MemOp.SIZE_MASK | MemOp.SIGN)) {
    case MemOp.SIZE_8: return 'u8';
    case MemOp.SIZE_8 | MemOp.SIGN: return 's8';
    case MemOp.SIZE_16: return 'u16';
    case MemOp.SIZE_16 | MemOp.SIGN: return 's16';
    case MemOp.SIZE_32:
    case MemOp.SIZE_32 | MemOp.SIGN: return 'u32';
    default: throw new Error(`internal: no inline access for memop ${memop}`);
  }
}

function compareMask(memop: number): number {
  return PAGE_MASK | ((1 << (memop & MemOp.SIZE_MASK)) - 1);
}

// The SoftMMU fast path of backend/emit-memory.ts, one closure per host view.
// The address is F[a] + k: k is 0 for an access on its own, or the offset of
// the address computation a rewritten TB runs in the same step
// (backend/interp-address.ts).

/** A load's step: F[d] = the value at F[a] + k. */
export function loadStep(rt: StepRuntime, d: number, a: number, k: number, memop: number, pc: number): Step {
  const { F, TR, TA, ld, M8, M8s, M16, M16s, M32 } = rt;
  const m = compareMask(memop);
  switch (accessKind(memop)) {
    case 'u8': return () => {
      const x = (F[a]! + k) | 0, i = (x >>> PAGE_BITS) & TLB_INDEX_MASK;
      F[d] = TR[i] === (x & m) ? M8[(x + TA[i]!) | 0]! : ld(x, memop, pc);
      return STEP_NEXT;
    };
    case 's8': return () => {
      const x = (F[a]! + k) | 0, i = (x >>> PAGE_BITS) & TLB_INDEX_MASK;
      F[d] = TR[i] === (x & m) ? M8s[(x + TA[i]!) | 0]! : ld(x, memop, pc);
      return STEP_NEXT;
    };
    case 'u16': return () => {
      const x = (F[a]! + k) | 0, i = (x >>> PAGE_BITS) & TLB_INDEX_MASK;
      F[d] = TR[i] === (x & m) ? M16[(x + TA[i]!) >> 1]! : ld(x, memop, pc);
      return STEP_NEXT;
    };
    case 's16': return () => {
      const x = (F[a]! + k) | 0, i = (x >>> PAGE_BITS) & TLB_INDEX_MASK;
      F[d] = TR[i] === (x & m) ? M16s[(x + TA[i]!) >> 1]! : ld(x, memop, pc);
      return STEP_NEXT;
    };
    case 'u32': return () => {
      const x = (F[a]! + k) | 0, i = (x >>> PAGE_BITS) & TLB_INDEX_MASK;
      F[d] = TR[i] === (x & m) ? M32[(x + TA[i]!) >> 2]! : ld(x, memop, pc);
      return STEP_NEXT;
    };
  }
}

/** A store's step: the value F[v] to F[a] + k. */
export function storeStep(rt: StepRuntime, v: number, a: number, k: number, memop: number, pc: number): Step {
  const { F, TW, TA, st, M8, M16, M32 } = rt;
  const m = compareMask(memop);
  switch (accessKind(memop)) {
    case 'u8':
    case 's8': return () => {
      const x = (F[a]! + k) | 0, i = (x >>> PAGE_BITS) & TLB_INDEX_MASK;
      if (TW[i] === (x & m)) M8[(x + TA[i]!) | 0] = F[v]!;
      else st(x, F[v]!, memop, pc);
      return STEP_NEXT;
    };
    case 'u16':
    case 's16': return () => {
      const x = (F[a]! + k) | 0, i = (x >>> PAGE_BITS) & TLB_INDEX_MASK;
      if (TW[i] === (x & m)) M16[(x + TA[i]!) >> 1] = F[v]!;
      else st(x, F[v]!, memop, pc);
      return STEP_NEXT;
    };
    case 'u32': return () => {
      const x = (F[a]! + k) | 0, i = (x >>> PAGE_BITS) & TLB_INDEX_MASK;
      if (TW[i] === (x & m)) M32[(x + TA[i]!) >> 2] = F[v]!;
      else st(x, F[v]!, memop, pc);
      return STEP_NEXT;
    };
  }
}

const qemu_ld: StepFactory = (op, cx) => loadStep(cx.rt, cx.s(op.args[0]!), cx.s(op.args[1]!), 0, op.args[2]!, op.args[3]!);

const qemu_st: StepFactory = (op, cx) => storeStep(cx.rt, cx.s(op.args[0]!), cx.s(op.args[1]!), 0, op.args[2]!, op.args[3]!);

const viaLowering: StepFactory = (op, cx) => cx.compiled(op);

export const STEP_FACTORY: { readonly [K in Opcode]: StepFactory } = {
  mov,
  movi,
  add: alu('add'),
  sub: alu('sub'),
  mul: alu('mul'),
  and: alu('and'),
  or: alu('or'),
  xor: alu('xor'),
  andc: alu('andc'),
  neg: unary((x) => -x),
  not: unary((x) => ~x),
  shl: alu('shl'),
  shr: alu('shr'),
  sar: alu('sar'),
  rotr: alu('rotr'),
  clz: unary(Math.clz32),
  bswap32: unary(bswap32),
  bswap16: unary(bswap16),
  rbit: unary(rbit),
  ext8s: unary((x) => (x << 24) >> 24),
  ext8u: unary((x) => x & 0xff),
  ext16s: unary((x) => (x << 16) >> 16),
  ext16u: unary((x) => x & 0xffff),
  // The bit-field ops (UBFX, SBFX, BFI, BFC; bitfield-heavy code runs them millions of times
  // interpreted) compute their masks and shifts once, when the step is built, and each has a closure of
  // its own: ir/fold.ts's extractBits, sextractBits and depositBits, with pos and len fixed (their masks from fold.ts).
  extract: (op, cx) => {
    const F = cx.rt.F;
    const d = cx.s(op.args[0]!);
    const a = cx.s(op.args[1]!);
    const pos = op.args[2]!;
    const len = op.args[3]!;
    if (len >= 32) {
      return () => {
        F[d] = F[a]! | 0;
        return STEP_NEXT;
      };
    }
    const mask = fieldMask(len);
    return () => {
      F[d] = (F[a]! >>> pos) & mask;
      return STEP_NEXT;
    };
  },
  sextract: (op, cx) => {
    const F = cx.rt.F;
    const d = cx.s(op.args[0]!);
    const a = cx.s(op.args[1]!);
    const left = 32 - op.args[2]! - op.args[3]!;
    const right = 32 - op.args[3]!;
    return () => {
      F[d] = (F[a]! << left) >> right;
      return STEP_NEXT;
    };
  },
  deposit: (op, cx) => {
    const F = cx.rt.F;
    const d = cx.s(op.args[0]!);
    const a = cx.s(op.args[1]!);
    const b = cx.s(op.args[2]!);
    const pos = op.args[3]!;
    const len = op.args[4]!;
    const mask = depositMask(pos, len);
    const keep = ~mask;
    return () => {
      F[d] = (F[a]! & keep) | ((F[b]! << pos) & mask) | 0;
      return STEP_NEXT;
    };
  },
  setcond,
  movcond,
  mulu2: mul2(mulhu),
  muls2: mul2(mulhs),
  add2: wide(false),
  sub2: wide(true),
  divs: alu('divs'),
  divu: alu('divu'),
  // env slots are frame slots: the frame starts with env
  ld_env: envCopy(false),
  st_env: envCopy(true),
  qemu_ld,
  qemu_st,
  ld_excl: viaLowering,
  st_excl: viaLowering,
  clrex: viaLowering,
  swap: viaLowering,
  cmpxchg: viaLowering,
  cmpxchg64: viaLowering,
  mb: viaLowering,
  // The variant's function, as compiled code calls it (read at each run: a stub replaces itself).
  vfp: (op, cx) => {
    const VF = cx.rt.VF;
    const k = vfpVariantIndex(op.args);
    const d = op.args[2]!;
    const n = op.args[3]!;
    const m = op.args[4]!;
    const status = op.args[5]!;
    return () => {
      VF[k]!(d, n, m, status);
      return STEP_NEXT;
    };
  },
  brcond,
  set_label: () => null,
  insn_start: () => null,
  goto_tb: (op, cx) => {
    const F = cx.rt.F;
    const slot = op.args[0]!;
    const dest = op.args[1]! | 0;
    const pcSlot = cx.pcSlot;
    return () => {
      F[pcSlot] = dest;
      return FIRST_DIRECT_EXIT + slot;
    };
  },
  exit_indirect: (op, cx) => {
    const F = cx.rt.F;
    const a = cx.s(op.args[0]!);
    const pcSlot = cx.pcSlot;
    return () => {
      F[pcSlot] = F[a]!;
      return ExitReason.INDIRECT;
    };
  },
  exit_special: (op, cx) => {
    const F = cx.rt.F;
    const reason = op.args[0]!;
    const pc = op.args[1]! | 0;
    const pcSlot = cx.pcSlot;
    return () => {
      F[pcSlot] = pc;
      return reason;
    };
  },
};
