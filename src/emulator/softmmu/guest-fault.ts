// A guest fault: a synchronous exception of the instruction at pc (a memory
// access, an undefined instruction, a breakpoint). Thrown from the SoftMMU
// slow paths and the cpu loop, which delivers it to the thread's handler or,
// without one, ends the process with a report naming address and pc.

export {
  BUS_ADRALN, ILL_ILLOPC, SEGV_ACCERR, SEGV_MAPERR, SIGABRT, SIGBUS, SIGILL, SIGKILL, SIGSEGV, SIGTRAP, TRAP_BRKPT,
} from '../linux-user/signal-numbers.js';

export type FaultAccess = 'read' | 'write' | 'execute';

export class GuestFault extends Error {
  constructor(
    readonly signal: number,
    readonly address: number,
    readonly pc: number,
    readonly access: FaultAccess,
    readonly detail: string,
    /** si_code: SEGV_MAPERR, SEGV_ACCERR, BUS_ADRALN, ILL_ILLOPC, TRAP_BRKPT. */
    readonly code: number,
    /** The pc a handler's frame saves: the instruction itself, except after an SVC the kernel refused (the next one). */
    readonly resumePc: number = pc,
  ) {
    super(access === 'execute' && address === pc
      ? `${detail} at pc 0x${hex(pc)}`
      : `${detail}: ${access} at 0x${hex(address)} (pc 0x${hex(pc)})`);
    this.name = 'GuestFault';
  }
}

export function hex(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
