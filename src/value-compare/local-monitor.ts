// The per-vCPU exclusive monitor that value-comparing strategies keep in env
// (QEMU's exclusive_addr / exclusive_val): LDREX records address, size and the
// value it read; STREX succeeds only at the same address, and then only if
// memory still holds that value (checked by the strategy's own compare-and-store).

import { hi32, lo32, type HostViews } from '../emulator/atomics/host-views.js';
import type { StrategySlots } from '../emulator/atomics/vcpu-services.js';
import { MemOp } from '../emulator/ir/memop.js';

export const MONITOR_OPEN = -1;

export interface MonitorCounters {
  ldrex: number;
  strex: number;
  strexFailMonitor: number;
  strexFailValue: number;
  swaps: number;
  cas: number;
  casFail: number;
  barriers: number;
}

export function newMonitorCounters(): MonitorCounters {
  return { ldrex: 0, strex: 0, strexFailMonitor: 0, strexFailValue: 0, swaps: 0, cas: 0, casFail: 0, barriers: 0 };
}

export class LocalMonitor {
  constructor(
    private readonly env: Int32Array,
    private readonly slots: StrategySlots,
  ) {}

  /** LDREX: reads the item (one atomic load, 64-bit for LDREXD) and arms the monitor. Returns the low word. */
  arm(views: HostViews, addr: number, off: number, memop: number): number {
    const { env, slots } = this;
    let lo: number;
    let hi = 0;
    if ((memop & MemOp.SIZE_MASK) === MemOp.SIZE_64) {
      const v = views.load64(off);
      lo = lo32(v);
      hi = hi32(v);
    } else {
      lo = views.load(off, memop);
    }
    env[slots.exclAddr] = addr;
    env[slots.exclSize] = memop & MemOp.SIZE_MASK;
    env[slots.exclValLo] = lo;
    env[slots.exclValHi] = hi;
    env[slots.helperHi] = hi;
    return lo;
  }

  /** True if STREX at addr with this size matches the armed monitor. Always disarms it. */
  take(addr: number, memop: number): boolean {
    const { env, slots } = this;
    const ok = env[slots.exclAddr] === addr && env[slots.exclSize] === (memop & MemOp.SIZE_MASK);
    env[slots.exclAddr] = MONITOR_OPEN;
    return ok;
  }

  /** The value the armed LDREX read: low and high word. */
  get valueLo(): number {
    return this.env[this.slots.exclValLo]!;
  }

  get valueHi(): number {
    return this.env[this.slots.exclValHi]!;
  }

  clear(): void {
    this.env[this.slots.exclAddr] = MONITOR_OPEN;
  }

  /** CLREX as inline JavaScript (env is R in translated code). */
  clearJs(): string {
    return `R[${this.slots.exclAddr}] = ${MONITOR_OPEN};`;
  }
}
