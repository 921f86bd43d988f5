// The atomic IR ops of one vCPU as callable functions, built from the
// strategy's own lowering strings and compiled with the backend's
// makeTbRuntime/compileTb: the helper bindings (a_ld_excl, a_st_excl, a_swap,
// a_cmpxchg, a_cmpxchg64) are called with exactly the arguments translated code
// passes (LDREXD's high word comes back in env[Env.HELPER_HI], CLREX is
// whatever statement the strategy emits). Operands travel through r0..r4 of
// the vCPU's env: there is no guest code, so those registers are free.

import { Env } from '../src/emulator/arm/cpu-state.js';
import type { BarrierKind } from '../src/emulator/ir/barrier-kind.js';
import { hi32, lo32 } from '../src/emulator/atomics/host-views.js';
import type { AtomicVcpu } from '../src/emulator/atomics/strategy.js';
import { compileTb, makeTbRuntime, type TbFunction, type TbRuntime } from '../src/emulator/backend/compile-tb.js';
import type { SlotControl } from '../src/emulator/exec/vcpu-table.js';
import { MemOp } from '../src/emulator/ir/memop.js';
import type { Mmu } from '../src/emulator/softmmu/mmu.js';

/** The pc the ops report in faults: any word-aligned number will do. */
const FAKE_PC = 0x8000;

// Operand registers: inputs r0..r2, outputs r3..r4.
const IN0 = 'R[0]';
const IN1 = 'R[1]';
const IN2 = 'R[2]';
const OUT0 = 'R[3]';
const OUT1 = 'R[4]';

/** The guest access sizes of exclusive ops, with the alignment bit the translator adds. */
export const EXCL_MEMOPS = {
  B: MemOp.SIZE_8 | MemOp.ALIGN,
  H: MemOp.SIZE_16 | MemOp.ALIGN,
  W: MemOp.SIZE_32 | MemOp.ALIGN,
  D: MemOp.SIZE_64 | MemOp.ALIGN,
} as const;
export type ExclSize = keyof typeof EXCL_MEMOPS;
export const EXCL_SIZES: readonly ExclSize[] = ['B', 'H', 'W', 'D'];
export const SIZE_BYTES: Readonly<Record<ExclSize, number>> = { B: 1, H: 2, W: 4, D: 8 };

/** SWP (word) and SWPB as trans-synchronization.ts emits them. */
export const SWP_MEMOPS = { B: MemOp.SIZE_8, W: MemOp.SIZE_32 | MemOp.ALIGN } as const;
/** The kuser cmpxchg's memop (trans-kuser.ts). */
export const KUSER_CAS_MEMOP = MemOp.SIZE_32 | MemOp.ALIGN;

export class LoweredAtomics {
  private readonly runtime: TbRuntime;
  private readonly compiled = new Map<string, TbFunction>();

  constructor(
    private readonly atomics: AtomicVcpu,
    private readonly env: Int32Array,
    private readonly mmu: Mmu,
    control: SlotControl,
    /** 16 bytes of guest memory this vCPU alone uses (cas64's expected and replacement). */
    private readonly scratch: number,
  ) {
    this.runtime = makeTbRuntime(env, mmu, atomics.bindings, control.pending, control.pendingIndex);
  }

  private fn(key: string, body: () => string): TbFunction {
    let f = this.compiled.get(key);
    if (!f) {
      f = compileTb(this.runtime, `op_${key}`, `${body()}\nreturn 0;`);
      this.compiled.set(key, f);
    }
    return f;
  }

  /** LDREX{B,H,D}: the low word (zero-extended for B and H); `hi` is LDREXD's high word. */
  ldrex(addr: number, memop: number): { lo: number; hi: number } {
    this.env[0] = addr;
    this.fn(`ldex${memop}`, () => this.atomics.ld_excl(OUT0, OUT1, IN0, memop, FAKE_PC))();
    return { lo: this.env[3]!, hi: this.env[4]! };
  }

  /** STREX{B,H,D}: 0 if stored, 1 if not. */
  strex(addr: number, lo: number, hi: number, memop: number): number {
    this.env[0] = addr;
    this.env[1] = lo;
    this.env[2] = hi;
    this.fn(`strex${memop}`, () => this.atomics.st_excl(OUT0, IN0, IN1, IN2, memop, FAKE_PC))();
    return this.env[3]!;
  }

  ldrexd(addr: number): bigint {
    const { lo, hi } = this.ldrex(addr, EXCL_MEMOPS.D);
    return join64(lo, hi);
  }

  strexd(addr: number, value: bigint): number {
    return this.strex(addr, lo32(value), hi32(value), EXCL_MEMOPS.D);
  }

  clrex(): void {
    this.fn('clrex', () => this.atomics.clrex())();
  }

  /** SWP/SWPB: the old value (zero-extended for SWPB). */
  swp(addr: number, value: number, memop: number): number {
    this.env[0] = addr;
    this.env[1] = value;
    this.fn(`swp${memop}`, () => this.atomics.swap(OUT0, IN0, IN1, memop, FAKE_PC))();
    return this.env[3]!;
  }

  /** The kuser cmpxchg: 1 if [addr] held `expected` and now holds `replacement`, else 0. */
  cas(addr: number, expected: number, replacement: number): number {
    this.env[0] = addr;
    this.env[1] = expected;
    this.env[2] = replacement;
    this.fn('cas', () => this.atomics.cmpxchg(OUT0, IN0, IN1, IN2, KUSER_CAS_MEMOP, FAKE_PC))();
    return this.env[3]!;
  }

  /** The kuser cmpxchg64: expected and replacement go through guest memory, as the guest passes pointers to them. */
  cas64(addr: number, expected: bigint, replacement: bigint): number {
    const s = this.scratch;
    this.mmu.st(s, lo32(expected), MemOp.SIZE_32, FAKE_PC);
    this.mmu.st(s + 4, hi32(expected), MemOp.SIZE_32, FAKE_PC);
    this.mmu.st(s + 8, lo32(replacement), MemOp.SIZE_32, FAKE_PC);
    this.mmu.st(s + 12, hi32(replacement), MemOp.SIZE_32, FAKE_PC);
    this.env[0] = addr;
    this.env[1] = s;
    this.env[2] = s + 8;
    this.fn('cas64', () => this.atomics.cmpxchg64(OUT0, IN0, IN1, IN2, FAKE_PC))();
    return this.env[3]!;
  }

  mb(kind: BarrierKind): void {
    this.fn(`mb${kind}`, () => this.atomics.mb(kind))();
  }

  /** Linux's return to user mode after a syscall (the cpu loop calls this before dispatching one). */
  syscall(): void {
    this.atomics.onSyscall();
  }

  /** A plain guest load through the SoftMMU slow path (zero-extended). */
  load(addr: number, memop: number): number {
    return this.mmu.ld(addr, memop, FAKE_PC);
  }

  /** A plain guest store through the SoftMMU slow path (the path every strategy hook sees). */
  store(addr: number, value: number, memop: number): void {
    this.mmu.st(addr, value, memop, FAKE_PC);
  }

  load64(addr: number): bigint {
    return join64(this.load(addr, MemOp.SIZE_32), this.load(addr + 4, MemOp.SIZE_32));
  }

  store64(addr: number, value: bigint): void {
    this.store(addr, lo32(value), MemOp.SIZE_32);
    this.store(addr + 4, hi32(value), MemOp.SIZE_32);
  }

  /** env[EXCL_ADDR]: the armed monitor's address, -1 when open (value-comparing strategies). */
  monitorAddress(): number {
    return this.env[Env.EXCL_ADDR]!;
  }
}

/** An unsigned 64-bit value from two 32-bit words. */
export function join64(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}
