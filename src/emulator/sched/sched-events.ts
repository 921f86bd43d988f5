// Which scheduling points a TB holds (TranslationBlock.schedEvents): under
// --sched every TB is one guest instruction (single-step), and the cpu loop
// asks the scheduler before running one whose bits meet the chosen events.

import type { Op } from '../ir/opcodes.js';
import { ExitReason } from '../ir/exit-reason.js';
import { SCHED_EVENT_ATOMIC, SCHED_EVENT_MEMORY, SCHED_EVENT_SYSCALL } from './sched-thread.js';

export function schedEventsOf(ops: readonly Op[]): number {
  let bits = 0;
  // An indexed loop: this runs over every op of every TB, unoptimised at first in a new vCPU worker.
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    switch (op.opc) {
      case 'qemu_ld':
      case 'qemu_st':
        bits |= SCHED_EVENT_MEMORY;
        break;
      case 'ld_excl':
      case 'st_excl':
      case 'swap':
      case 'cmpxchg':
      case 'cmpxchg64':
        bits |= SCHED_EVENT_ATOMIC;
        break;
      case 'exit_special':
        if (op.args[0] === ExitReason.SYSCALL) bits |= SCHED_EVENT_SYSCALL;
        break;
      default:
        break;
    }
  }
  return bits;
}
