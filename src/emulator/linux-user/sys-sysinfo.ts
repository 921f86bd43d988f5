// sysinfo(2): what a program learns about the machine's memory (xz sizes its
// thread count and memory limit from totalram). The guest's machine is the
// guest memory (--memory): totalram is its size and freeram the frames not
// in use, so a program sizes itself to what it can really have. qemu-arm
// passes the host's values through instead, truncated to 32 bits with
// mem_unit 1 (a 24 GiB host reports about 3.5 GiB): a difference that only
// shows in programs that print these numbers. Uptime and load averages are
// the host's (the guest shares its clock and CPUs).

import { loadavg, uptime } from 'node:os';
import type { ThreadContext } from './thread-context.js';
import { PAGE_SIZE } from '../softmmu/page-bits.js';

export const NR_sysinfo = 116;

/** struct sysinfo of a 32-bit ARM kernel: 64 bytes. */
const SYSINFO_BYTES = 64;
/** Load averages are fixed point with 16 fraction bits (SI_LOAD_SHIFT). */
const SI_LOAD_SHIFT = 16;

export function sysSysinfo(ctx: ThreadContext, addr: number): number {
  const out = new DataView(new ArrayBuffer(SYSINFO_BYTES));
  const total = ctx.mem.megabytes * 1024 * 1024;
  const free = Math.max(0, total - ctx.mem.frameStats().inUse * PAGE_SIZE);
  out.setUint32(0, Math.floor(uptime()), true);
  loadavg().forEach((l, i) => out.setUint32(4 + 4 * i, Math.min(0xffffffff, Math.round(l * (1 << SI_LOAD_SHIFT))), true));
  out.setUint32(16, total, true); // totalram
  out.setUint32(20, free, true); // freeram
  // sharedram, bufferram, totalswap, freeswap: none
  out.setUint16(40, Math.min(0xffff, ctx.procs.liveCount), true);
  // totalhigh, freehigh: none
  out.setUint32(52, 1, true); // mem_unit
  ctx.access.write(addr >>> 0, new Uint8Array(out.buffer));
  return 0;
}
