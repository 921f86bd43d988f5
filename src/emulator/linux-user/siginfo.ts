// siginfo_t as the 32-bit ARM kernel lays it out (128 bytes): si_signo,
// si_errno, si_code, then a union whose words depend on where the signal
// came from. mttcg keeps the first eight words, which hold every field the
// kernel fills in for these sources; the rest of the 128 bytes is zero.
//
//   word 3      word 4       word 5       word 6     word 7
//   si_pid      si_uid                                        kill, tkill (SI_USER, SI_TKILL)
//   si_pid      si_uid       si_value                         sigqueue (SI_QUEUE and other codes < 0)
//   si_tid      si_overrun   si_value     (private)           POSIX timers (SI_TIMER)
//   si_pid      si_uid       si_status    si_utime   si_stime  SIGCHLD (CLD_*)
//   si_addr                                                   faults (SEGV_*, BUS_*, ILL_*, TRAP_*)

import type { KernelAccess } from '../softmmu/kernel-access.js';
import { SI_TIMER, SI_TKILL, SI_USER } from './signal-numbers.js';

export const SIGINFO_WORDS = 8;
export const SIGINFO_BYTES = 128;

/** The kept words of a siginfo_t, as signed 32-bit values. */
export type SigInfo = Int32Array;

export function makeSigInfo(signo: number, code: number, w3 = 0, w4 = 0, w5 = 0, w6 = 0, w7 = 0): SigInfo {
  return Int32Array.of(signo, 0, code, w3, w4, w5, w6, w7);
}

export function infoSigno(info: SigInfo): number {
  return info[0]!;
}

export function infoCode(info: SigInfo): number {
  return info[2]!;
}

/** kill(2): sent by process pid, user uid. */
export function userInfo(sig: number, pid: number, uid: number): SigInfo {
  return makeSigInfo(sig, SI_USER, pid, uid);
}

/** tkill/tgkill (and raise(3)). */
export function tkillInfo(sig: number, pid: number, uid: number): SigInfo {
  return makeSigInfo(sig, SI_TKILL, pid, uid);
}

/** A POSIX timer expiry (SIGEV_SIGNAL / SIGEV_THREAD_ID). */
export function timerInfo(sig: number, timerId: number, overrun: number, value: number): SigInfo {
  return makeSigInfo(sig, SI_TIMER, timerId, overrun, value);
}

/** A child changed state (for the parent's SIGCHLD): code is CLD_EXITED, CLD_KILLED, ... */
export function childInfo(code: number, pid: number, uid: number, status: number, utime = 0, stime = 0): SigInfo {
  return makeSigInfo(17, code, pid, uid, status, utime, stime);
}

/** A synchronous fault: si_addr is the faulting address (or the pc). */
export function faultInfo(sig: number, code: number, addr: number): SigInfo {
  return makeSigInfo(sig, code, addr);
}

/** Reads the kept words of a guest siginfo_t (rt_sigqueueinfo). */
export function readSigInfo(access: KernelAccess, addr: number): SigInfo {
  const out = new Int32Array(SIGINFO_WORDS);
  for (let i = 0; i < SIGINFO_WORDS; i++) out[i] = access.readU32(addr + 4 * i);
  return out;
}

/** Writes a full 128-byte siginfo_t (the kept words, then zeros). */
export function writeSigInfo(access: KernelAccess, addr: number, info: SigInfo): void {
  const bytes = new Uint8Array(SIGINFO_BYTES);
  new Int32Array(bytes.buffer, 0, SIGINFO_WORDS).set(info);
  access.write(addr, bytes);
}
