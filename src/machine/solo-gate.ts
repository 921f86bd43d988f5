// The solo phase's gate (solo-phase.ts): the first thread, running on the
// main thread, leaves the cpu loop by a HandOver at a syscall that is not
// local or once its time budget is used, so that its worker takes it over.

import { decodeSvc } from '../emulator/linux-user/oabi.js';
import type { GuestThread } from '../emulator/process/guest-thread.js';
import type { SyscallDispatcher } from '../emulator/linux-user/syscall-dispatch.js';
import { isLocalSyscall } from './solo-syscalls.js';

/** Thrown inside the cpu loop to move the thread to its worker. */
export class HandOver extends Error {
  constructor(readonly pendingSyscall: boolean, readonly why: string) {
    super(`hand-over: ${why}`);
    this.name = 'HandOver';
  }
}

/** What the solo vCPU asks before each syscall and at a hand-over request. */
export class SoloGate {
  /** Before the SVC's syscall runs: throws HandOver unless it is local (the time budget is solo-watch.ts's). */
  beforeSyscall(thread: GuestThread, dispatcher: SyscallDispatcher): void {
    const { nr, oabi, semihost } = decodeSvc(thread);
    const env = thread.env;
    // A syscall mttcg does not implement is ENOSYS and a warning (or SIGILL past the private range): local too.
    const local = !oabi && !semihost && (isLocalSyscall(nr, env[0]!, env[1]!, thread.fds) || !dispatcher.handles(nr));
    if (!local) throw new HandOver(true, `syscall ${nr}`);
  }

  /** REQ_HANDOVER: the phase's watch says the budget is used (solo-watch.ts). */
  handOver(): never {
    throw new HandOver(false, 'time budget');
  }
}
