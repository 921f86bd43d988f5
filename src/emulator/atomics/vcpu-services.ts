// What a vCPU offers the atomic strategy attached to it.

import type { GuestMemory } from '../softmmu/guest-memory.js';
import type { Mmu } from '../softmmu/mmu.js';
import type { HostViews } from './host-views.js';

/**
 * The words of env a strategy may use beside the guest registers (indices
 * into env; the front end lays them out, arm/cpu-state.ts for A32).
 * Translated code reaches them as R[index].
 */
export interface StrategySlots {
  /** The local exclusive monitor: the address LDREX armed it for, or -1 when open. */
  readonly exclAddr: number;
  /** The MemOp size of that access, valid while exclAddr != -1. */
  readonly exclSize: number;
  /** The value LDREX read (low and high word). */
  readonly exclValLo: number;
  readonly exclValHi: number;
  /** One word of per-vCPU state the strategy keeps for itself. */
  readonly scratch: number;
  /** Where a helper leaves its second result (LDREXD's high word). */
  readonly helperHi: number;
}

export interface VcpuServices {
  /** This vCPU's number (0 is the main thread). */
  readonly index: number;
  /** Its register file; the strategy's own words are at `slots`. */
  readonly env: Int32Array;
  readonly slots: StrategySlots;
  readonly mmu: Mmu;
  readonly mem: GuestMemory;
  readonly views: HostViews;
  /** Runs fn while every other vCPU is parked at a TB boundary or outside translated code. */
  stopTheWorld<T>(fn: () => T): T;
  /** Every other vCPU drops its TLB entries for a page before its next access there (acknowledged). */
  flushOthersPage(page: number): void;
}
