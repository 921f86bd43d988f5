// The per-vCPU exclusive monitor that value-comparing strategies keep in env
// (QEMU's exclusive_addr / exclusive_val): LDREX records address, size and the
// value it read; STREX succeeds only at the same address, and then only if
// memory still holds that value (checked by the strategy's own compare-and-store).

import { Env } from '../emulator/arm/cpu-state.js';
import { MemOp } from '../emulator/ir/memop.js';
import { hi32, lo32, type HostViews } from '../emulator/atomics/host-views.js';

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

/** LDREX: reads the item (one atomic load, 64-bit for LDREXD) and arms the monitor. Returns the low word. */
export function armMonitor(env: Int32Array, views: HostViews, addr: number, off: number, memop: number): number {
  let lo: number;
  let hi = 0;
  if ((memop & MemOp.SIZE_MASK) === MemOp.SIZE_64) {
    const v = views.load64(off);
    lo = lo32(v);
    hi = hi32(v);
  } else {
    lo = views.load(off, memop);
  }
  env[Env.EXCL_ADDR] = addr;
  env[Env.EXCL_SIZE] = memop & MemOp.SIZE_MASK;
  env[Env.EXCL_VAL_LO] = lo;
  env[Env.EXCL_VAL_HI] = hi;
  env[Env.HELPER_HI] = hi;
  return lo;
}

/** True if STREX at addr with this size matches the armed monitor. Always disarms it. */
export function takeMonitor(env: Int32Array, addr: number, memop: number): boolean {
  const ok = env[Env.EXCL_ADDR] === addr && env[Env.EXCL_SIZE] === (memop & MemOp.SIZE_MASK);
  env[Env.EXCL_ADDR] = MONITOR_OPEN;
  return ok;
}

export function clearMonitor(env: Int32Array): void {
  env[Env.EXCL_ADDR] = MONITOR_OPEN;
}
