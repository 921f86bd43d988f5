// What a vCPU offers the atomic strategy attached to it.

import type { GuestMemory } from '../softmmu/guest-memory.js';
import type { Mmu } from '../softmmu/mmu.js';
import type { HostViews } from './host-views.js';

export interface VcpuServices {
  /** This vCPU's number (0 is the main thread). */
  readonly index: number;
  /** Its register file and per-vCPU slots (see arm/cpu-state.ts). */
  readonly env: Int32Array;
  readonly mmu: Mmu;
  readonly mem: GuestMemory;
  readonly views: HostViews;
  /** Runs fn while every other vCPU is parked at a TB boundary or outside translated code. */
  stopTheWorld<T>(fn: () => T): T;
  /** Every other vCPU drops its TLB entries for a page before its next access there (acknowledged). */
  flushOthersPage(page: number): void;
}
