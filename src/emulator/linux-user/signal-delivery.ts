// Delivery of one thread's signals (the kernel's get_signal, handle_signal,
// setup_frame/setup_rt_frame and sys_sigreturn/sys_rt_sigreturn for ARM).
//
// When: at a TB boundary after the vCPU's "signal pending" request bit was
// set (asynchronous signals), at the faulting instruction (synchronous
// faults), and on the way out of a syscall that a signal interrupted (then
// with the syscall-restart rules: EINTR, or the SVC again under SA_RESTART).
//
// What: ignored signals are dropped; a default action that ends the process
// ends it (status 128+sig); a handler gets a frame on the stack (or the
// alternate stack under SA_ONSTACK), r0 = sig (r1 = &siginfo, r2 =
// &ucontext with SA_SIGINFO), sp = frame, lr = the restorer or the
// trampoline, pc = handler, N/Z/C/V/Q cleared, and the mask grows by
// sa_mask and the signal itself (unless SA_NODEFER). sigreturn takes back
// the registers, cpsr, mask and (rt) the alternate stack from the frame, as
// the handler left them.

import { Env } from '../arm/cpu-state.js';
import { BadGuestAddress } from '../softmmu/kernel-access.js';
import type { GuestFault } from '../softmmu/guest-fault.js';
import { EINTR, ERESTART_RESTARTBLOCK, ERESTARTNOHAND, ERESTARTSYS } from './errno.js';
import { ProcessExit } from './guest-exit.js';
import { altStackFlags, checkNewAltStack, reportAltStack } from './signal-altstack.js';
import {
  cpsrForFrame, enterHandlerState, inThumbState, restoreCoprocessorArea, restoreCpsrFromFrame, validUserCpsr,
} from './signal-cpu-state.js';
import { frameAddress, readSignalContext, type FaultRecord, ucontextOf, writeSignalFrame } from './signal-frame.js';
import {
  bitOf, DefaultAction, defaultAction, SA_NODEFER, SA_ONSTACK, SA_RESETHAND, SA_RESTART, SA_RESTORER, SA_SIGINFO,
  SEGV_MAPERR, SI_KERNEL, SIG_DFL, SIG_IGN, SIGILL, SIGSEGV, SIGTRAP, signalName, SS_AUTODISARM, wordOf,
} from './signal-numbers.js';
import type { SigAction } from './signal-actions.js';
import { faultInfo, makeSigInfo, type SigInfo } from './siginfo.js';
import { trampolineAddress, trampolineWords } from './signal-trampoline.js';
import type { ThreadContext } from './thread-context.js';

/** A syscall that returned a restart code, as delivery must treat it. */
interface InterruptedSyscall {
  readonly code: number;
  readonly origR0: number;
  /** Address of the SVC (restart) and of the instruction after it (continue). */
  readonly restartPc: number;
}

/** Fault status values the kernel saves as error_code (short-descriptor FSR; bit 11 = write). */
const FSR_ALIGNMENT = 0x1;
const FSR_TRANSLATION_PAGE = 0x7;
const FSR_PERMISSION_PAGE = 0xf;
const FSR_WNR = 0x800;
/** trap_no of an abort and of an undefined instruction (arch/arm/kernel/traps.c). */
const TRAP_ABORT = 14;
const TRAP_UNDEFINED = 6;

export class SignalDelivery {
  /** Clears the local exclusive monitor: every exception return does (CLREX). Set by the worker. */
  onException: () => void = () => {};
  /** The restart block of the last syscall that returned ERESTART_RESTARTBLOCK (restart_syscall runs it). */
  restartBlock: (() => number) | null = null;
  /** thread.trap_no/error_code/address as the last fault left them; saved in every frame, as the kernel does. */
  private lastFault: FaultRecord = { trapNo: 0, errorCode: 0, address: 0 };
  /** Why a signal was forced on this thread (for the report if it kills the process). */
  private forcedReason = new Map<number, string>();

  constructor(private readonly ctx: ThreadContext) {}

  private get slot(): number {
    return this.ctx.vcpuIndex;
  }

  /** Delivers every pending signal the thread does not block; true if a handler will run. */
  deliverPending(): boolean {
    return this.deliver(null);
  }

  /**
   * A syscall returned a restart code (the caller has not written r0): runs
   * the handlers of pending signals with the restart rules. True if a handler
   * will run (registers set); false if the syscall must be run again.
   */
  interruptedSyscall(code: number, origR0: number): boolean {
    const env = this.ctx.env;
    const restartPc = (env[Env.PC]! - (inThumbState(env) ? 2 : 4)) | 0;
    return this.deliver({ code: -code, origR0, restartPc });
  }

  private deliver(syscall: InterruptedSyscall | null): boolean {
    const s = this.ctx.signals;
    const slot = this.slot;
    let handled = false;
    let restart = syscall;
    for (;;) {
      const info = s.dequeue(slot, ~s.blockedLo(slot), ~s.blockedHi(slot));
      if (info === null) break;
      const sig = info[0]!;
      const act = s.action(sig);
      if (act.handler === SIG_IGN) continue;
      if (act.handler === SIG_DFL) {
        if (defaultAction(sig) === DefaultAction.IGNORE) continue;
        this.die(sig);
      }
      if (act.flags & SA_RESETHAND) s.resetToDefault(sig);
      if (restart) {
        this.applyRestartRule(restart, act);
        restart = null;
      }
      if (this.setupFrame(sig, info, act)) handled = true;
    }
    // No handler ran: a sigsuspend mask goes back (the syscall is restarted and sets it again).
    if (!handled) s.restoreMask(slot);
    return handled;
  }

  /** The kernel's do_signal: EINTR, or back to the SVC with the original r0. */
  private applyRestartRule(sc: InterruptedSyscall, act: SigAction): void {
    const env = this.ctx.env;
    const eintr = sc.code === ERESTARTNOHAND || sc.code === ERESTART_RESTARTBLOCK
      || (sc.code === ERESTARTSYS && (act.flags & SA_RESTART) === 0);
    if (eintr) {
      env[Env.R0] = -EINTR;
    } else {
      env[Env.R0] = sc.origR0;
      env[Env.PC] = sc.restartPc;
    }
  }

  /** Ends the process: sig's default action. */
  private die(sig: number): never {
    const why = this.forcedReason.get(sig);
    throw new ProcessExit(128 + sig, `thread ${this.ctx.tid}: ${signalName(sig)}${why ? `: ${why}` : ' (default action)'}`, sig);
  }

  /**
   * A synchronous fault at fault.pc: delivered at once to the thread's
   * handler. A blocked or ignored fault signal cannot be delivered, so (as
   * the kernel's force_sig_fault) its action becomes SIG_DFL. Returns false
   * if no handler runs (the caller reports the fault and ends the process).
   */
  deliverFault(fault: GuestFault): boolean {
    const env = this.ctx.env;
    const s = this.ctx.signals;
    const sig = fault.signal;
    env[Env.PC] = fault.resumePc;
    this.unblockForced(sig);
    const act = s.action(sig);
    if (act.handler === SIG_DFL) return false;
    this.lastFault = faultRecord(fault, this.lastFault);
    if (act.flags & SA_RESETHAND) s.resetToDefault(sig);
    this.setupFrame(sig, faultInfo(sig, fault.code, fault.address), act);
    return true;
  }

  /** force_sig: a blocked or ignored signal gets SIG_DFL and is unblocked. */
  private unblockForced(sig: number): void {
    const s = this.ctx.signals;
    const slot = this.slot;
    const blocked = (wordOf(sig) === 0 ? s.blockedLo(slot) : s.blockedHi(slot)) & bitOf(sig);
    if (blocked !== 0 || s.handler(sig) === SIG_IGN) {
      s.resetToDefault(sig);
      if (blocked !== 0) {
        if (wordOf(sig) === 0) s.setBlocked(slot, s.blockedLo(slot) & ~bitOf(sig), s.blockedHi(slot));
        else s.setBlocked(slot, s.blockedLo(slot), s.blockedHi(slot) & ~bitOf(sig));
      }
    }
  }

  /** Posts a forced signal to this thread (a bad frame): delivered before anything else at the next boundary. */
  private force(sig: number, info: SigInfo, reason: string): void {
    this.forcedReason.set(sig, reason);
    this.unblockForced(sig);
    this.ctx.signals.postToThread(this.ctx.tid, sig, info);
  }

  /**
   * Pushes the frame and points the registers at the handler. False if the
   * frame could not be written: then SIGSEGV is forced instead (and if sig
   * was SIGSEGV itself, with its default action), as the kernel's force_sigsegv.
   */
  private setupFrame(sig: number, info: SigInfo, act: SigAction): boolean {
    const ctx = this.ctx;
    const env = ctx.env;
    const s = ctx.signals;
    const slot = this.slot;
    const rt = (act.flags & SA_SIGINFO) !== 0;
    const thumb = (act.handler & 1) !== 0;
    const sp = env[Env.SP]!;
    const ss = s.altStack(slot);
    const onStack = (act.flags & SA_ONSTACK) !== 0 && altStackFlags(ss, sp) === 0;
    const frame = frameAddress(onStack ? (ss.sp + ss.size) | 0 : sp, rt);
    const saved = s.savedMask(slot);
    const mask: [number, number] = saved ?? [s.blockedLo(slot), s.blockedHi(slot)];
    const restorer = (act.flags & SA_RESTORER) !== 0;
    try {
      writeSignalFrame(ctx.access, frame, {
        regs: env.subarray(0, 16), cpsr: cpsrForFrame(env), mask, fault: this.lastFault,
        altStack: reportAltStack(ss, sp), info: rt ? info : null,
        retcode: restorer ? null : trampolineWords(rt, thumb), env,
      });
    } catch (e) {
      if (!(e instanceof BadGuestAddress)) throw e;
      if (sig === SIGSEGV) s.resetToDefault(SIGSEGV);
      this.force(SIGSEGV, makeSigInfo(SIGSEGV, SI_KERNEL), `no room for the ${signalName(sig)} frame at 0x${(frame >>> 0).toString(16)}`);
      return false;
    }
    if (saved) s.takeSavedMask(slot);
    if (rt && ss.flags & SS_AUTODISARM) s.setAltStack(slot, 0, 0, 0);
    this.onException();
    env[Env.R0] = sig;
    if (rt) {
      env[1] = frame;
      env[2] = ucontextOf(frame, true);
    }
    env[Env.SP] = frame;
    env[Env.LR] = restorer ? act.restorer : trampolineAddress(this.ctx.kernel.sigreturnPage, rt, thumb);
    enterHandlerState(env, act.handler);
    let lo = s.blockedLo(slot) | act.maskLo;
    let hi = s.blockedHi(slot) | act.maskHi;
    if (!(act.flags & SA_NODEFER)) {
      if (wordOf(sig) === 0) lo |= bitOf(sig);
      else hi |= bitOf(sig);
    }
    s.setBlocked(slot, lo, hi);
    return true;
  }

  /**
   * sigreturn / rt_sigreturn: the registers, cpsr and mask (and for rt the
   * alternate stack) come back from the frame at sp. A misaligned sp, an
   * unreadable frame or a cpsr that is not user mode forces SIGSEGV.
   * Returns the value for r0 (the restored r0).
   */
  sigreturn(rt: boolean): number {
    const ctx = this.ctx;
    const env = ctx.env;
    const s = ctx.signals;
    this.restartBlock = null; // a restart pending from before the handler now gives EINTR
    const sp = env[Env.SP]! >>> 0;
    const bad = (why: string): number => {
      this.force(SIGSEGV, makeSigInfo(SIGSEGV, SI_KERNEL), `bad signal frame at 0x${sp.toString(16)} (${why})`);
      return 0;
    };
    if (sp & 7) return bad('misaligned');
    let c;
    try {
      c = readSignalContext(ctx.access, ucontextOf(sp, rt));
    } catch (e) {
      if (!(e instanceof BadGuestAddress)) throw e;
      return bad('unreadable');
    }
    s.setBlocked(this.slot, c.mask[0], c.mask[1]);
    if (!validUserCpsr(c.cpsr)) return bad('cpsr not a user-mode value');
    env.set(c.regs, 0);
    restoreCpsrFromFrame(env, c.cpsr);
    if (!restoreCoprocessorArea(env, c.area)) return bad('coprocessor area');
    if (rt) {
      // restore_altstack: errors other than EFAULT are ignored, as the kernel does.
      const next = checkNewAltStack(s.altStack(this.slot), env[Env.SP]!, { sp: c.altStack[0], flags: c.altStack[1], size: c.altStack[2] });
      if (typeof next !== 'number') s.setAltStack(this.slot, next.sp, next.flags, next.size);
    }
    this.onException();
    return env[Env.R0]!;
  }
}

/**
 * What the kernel records in the thread for a fault: an abort sets trap_no
 * 14, error_code = the fault status (FSR, bit 11 for a write) and address;
 * an undefined instruction sets trap_no 6 and error_code 0; a breakpoint
 * changes nothing.
 */
function faultRecord(f: GuestFault, last: FaultRecord): FaultRecord {
  if (f.signal === SIGILL) return { trapNo: TRAP_UNDEFINED, errorCode: 0, address: last.address };
  if (f.signal === SIGTRAP) return last;
  const status = f.signal === SIGSEGV ? (f.code === SEGV_MAPERR ? FSR_TRANSLATION_PAGE : FSR_PERMISSION_PAGE) : FSR_ALIGNMENT;
  return { trapNo: TRAP_ABORT, errorCode: status | (f.access === 'write' ? FSR_WNR : 0), address: f.address };
}
