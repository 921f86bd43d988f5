// The A32 vCPU register file: one Int32Array per vCPU, created in its worker.
//
// Flags use QEMU's representation, which makes them cheap to compute and test:
//   NF: bit 31 is N          ZF: Z is set exactly when ZF == 0
//   CF: 0 or 1               VF: bit 31 is V
// Slots below A32_GLOBALS.count are IR globals, held in JavaScript locals inside a TB.

import type { StrategySlots } from '../atomics/vcpu-services.js';
import type { IrGlobals } from '../ir/globals.js';

export const enum Env {
  R0 = 0,
  SP = 13,
  LR = 14,
  /** At TB boundaries: the address of the next instruction to execute. */
  PC = 15,
  NF = 16,
  ZF = 17,
  CF = 18,
  VF = 19,
  /** Sticky saturation flag Q: 0 or 1. */
  QF = 20,
  /** GE[3:0] flags in bits 3..0. */
  GE = 21,
  /** Slots from here on are not IR globals; TBs reach them through ld_env/st_env. */
  TPIDRURO = 22,
  TPIDRURW = 23,
  /** Local exclusive monitor: address, or -1 when open. */
  EXCL_ADDR = 24,
  EXCL_VAL_LO = 25,
  EXCL_VAL_HI = 26,
  /** MemOp of the exclusive access (size), valid while EXCL_ADDR != -1. */
  EXCL_SIZE = 27,
  /** Scratch slots strategies may use. */
  STRATEGY0 = 28,
  STRATEGY1 = 29,
  /** Second result of a helper that returns two words (e.g. LDREXD's high word). */
  HELPER_HI = 30,
  /**
   * Instruction set state at TB boundaries (QEMU's TB flags `thumb` and
   * `condexec`): bit 0 is T (1 = Thumb), bits 8..1 are ITSTATE. Read and
   * written through arm/exec-state.ts.
   */
  EXEC_STATE = 32,
  /**
   * VFP state (arm/vfp/vfp-state.ts): d0-d15 as 32 words from here (8-byte
   * aligned, s0-s31 aliased on them), then FPSCR and FPEXC. Slots 31 and 33..63 are free.
   */
  VFP_REGS = 64,
  FPSCR = 96,
  FPEXC = 97,
  SIZE = 98,
}

/** The IR globals of the A32 front end: r0..r14, NF, ZF, CF, VF, QF, GE. R15 is not a global. */
export const A32_GLOBALS: IrGlobals = {
  count: 22,
  names: [
    'r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'sp', 'lr', 'pc_unused',
    'nf', 'zf', 'cf', 'vf', 'qf', 'ge',
  ],
  pcSlot: Env.PC,
};

/** The env words an atomic strategy gets through its services (atomics/vcpu-services.ts). */
export const A32_STRATEGY_SLOTS: StrategySlots = {
  exclAddr: Env.EXCL_ADDR,
  exclSize: Env.EXCL_SIZE,
  exclValLo: Env.EXCL_VAL_LO,
  exclValHi: Env.EXCL_VAL_HI,
  scratch: Env.STRATEGY0,
  helperHi: Env.HELPER_HI,
};

export const CPSR_USR_MODE = 0x10;

/** Packs the flags, the T bit and ITSTATE into a CPSR value (user mode). */
export function readCpsr(env: Int32Array): number {
  const n = env[Env.NF] < 0 ? 1 : 0;
  const z = env[Env.ZF] === 0 ? 1 : 0;
  const c = env[Env.CF] & 1;
  const v = env[Env.VF] < 0 ? 1 : 0;
  const q = env[Env.QF] & 1;
  const flags = (n << 31) | (z << 30) | (c << 29) | (v << 28) | (q << 27) | ((env[Env.GE] & 0xf) << 16);
  return (flags | cpsrExecBits(env[Env.EXEC_STATE]!) | CPSR_USR_MODE) >>> 0;
}

/** CPSR bits of an EXEC_STATE value: T (bit 5), IT[1:0] (bits 26:25), IT[7:2] (bits 15:10). */
export function cpsrExecBits(execState: number): number {
  const it = (execState >>> 1) & 0xff;
  return ((execState & 1) << 5) | ((it & 3) << 25) | ((it >>> 2) << 10);
}

/** The EXEC_STATE value a CPSR describes (T and ITSTATE), e.g. from a signal frame. */
export function execStateFromCpsr(cpsr: number): number {
  const it = ((cpsr >>> 25) & 3) | (((cpsr >>> 10) & 0x3f) << 2);
  return ((cpsr >>> 5) & 1) | (it << 1);
}

export function writeCpsrFlags(env: Int32Array, cpsr: number): void {
  env[Env.NF] = cpsr & 0x80000000;
  env[Env.ZF] = cpsr & 0x40000000 ? 0 : 1;
  env[Env.CF] = (cpsr >>> 29) & 1;
  env[Env.VF] = (cpsr << 3) & 0x80000000;
  env[Env.QF] = (cpsr >>> 27) & 1;
  env[Env.GE] = (cpsr >>> 16) & 0xf;
}

export function createEnv(): Int32Array {
  const env = new Int32Array(Env.SIZE);
  env[Env.ZF] = 1;
  env[Env.EXCL_ADDR] = -1;
  env[Env.FPEXC] = 0x40000000; // EN: the VFP is enabled, as Linux leaves it for user code
  return env;
}
