// A guest fault: a memory access the guest's own process would die of.
// Thrown from the SoftMMU slow paths and caught by the cpu loop, which turns
// it into the signal's exit status with a report naming address and pc.

export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGABRT = 6;
export const SIGBUS = 7;
export const SIGKILL = 9;
export const SIGSEGV = 11;

export type FaultAccess = 'read' | 'write' | 'execute';

export class GuestFault extends Error {
  constructor(
    readonly signal: number,
    readonly address: number,
    readonly pc: number,
    readonly access: FaultAccess,
    readonly detail: string,
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
