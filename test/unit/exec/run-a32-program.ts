// Runs a few A32 words on one harness vCPU until their `svc` (the syscall
// handler ends the run), for the region tests: what the program did is in
// the registers, what the translator made of it in the vCPU's cache and stats.

import { Env } from '../../../src/emulator/arm/cpu-state.js';
import { Vcpu } from '../../../src/emulator/exec/vcpu.js';
import { MemOp } from '../../../src/emulator/ir/memop.js';
import { PAGE_SIZE, PTE_EXEC, PTE_READ, PTE_WRITE } from '../../../src/emulator/softmmu/page-bits.js';
import { createHarness, allocateSlots, HarnessVcpu } from '../../../harness/vcpu-harness.js';

/** Where the program's words go (one page, read/write/execute). */
export const CODE = 0x40000;

class End extends Error {}

export function runA32Program(words: readonly number[], hotThreshold: number): { vcpu: Vcpu; h: HarnessVcpu } {
  const buffers = createHarness('cmpxchg');
  const h = new HarnessVcpu(buffers, allocateSlots(buffers, 1)[0]!);
  h.start();
  h.mem.map(CODE, PAGE_SIZE, PTE_READ | PTE_WRITE | PTE_EXEC);
  words.forEach((w, i) => h.mmu.st(CODE + 4 * i, w | 0, MemOp.SIZE_32, 0));
  const vcpu = new Vcpu(h.env, h.mmu, h.atomics, h.control, () => { throw new End(); }, {
    maxInsns: 512, chaining: true, hotThreshold, trace: null, dumpJs: null, timing: false,
  });
  h.env[Env.PC] = CODE;
  try {
    vcpu.run();
  } catch (e) {
    if (!(e instanceof End)) throw e;
  }
  return { vcpu, h };
}
