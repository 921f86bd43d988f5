// The alternate signal stack rules of the kernel (kernel/signal.c:
// on_sig_stack, sas_ss_flags, do_sigaltstack), shared by sigaltstack(2),
// frame placement (SA_ONSTACK) and rt_sigreturn's restore_altstack.

import { EINVAL, ENOMEM, EPERM } from './errno.js';
import { MINSIGSTKSZ, SS_AUTODISARM, SS_DISABLE, SS_ONSTACK } from './signal-numbers.js';

export interface AltStack {
  readonly sp: number;
  /** As set by sigaltstack: SS_DISABLE, 0 or SS_ONSTACK, possibly with SS_AUTODISARM. */
  readonly flags: number;
  readonly size: number;
}

/** True if sp lies on the alternate stack (never while SS_AUTODISARM is set). */
export function onAltStack(ss: AltStack, sp: number): boolean {
  if (ss.flags & SS_AUTODISARM) return false;
  const base = ss.sp >>> 0;
  const at = sp >>> 0;
  return at > base && at - base <= ss.size >>> 0;
}

/** The ss_flags the kernel reports for stack pointer sp (without the SS_AUTODISARM bit). */
export function altStackFlags(ss: AltStack, sp: number): number {
  if (ss.size === 0) return SS_DISABLE;
  return onAltStack(ss, sp) ? SS_ONSTACK : 0;
}

/** What sigaltstack(2) and uc_stack report: [ss_sp, ss_flags, ss_size]. */
export function reportAltStack(ss: AltStack, sp: number): [number, number, number] {
  return [ss.sp, altStackFlags(ss, sp) | (ss.flags & SS_AUTODISARM), ss.size];
}

/** Validates a new alternate stack at stack pointer sp: the stack to install, or -errno. */
export function checkNewAltStack(cur: AltStack, sp: number, next: AltStack): AltStack | number {
  if (onAltStack(cur, sp)) return -EPERM;
  const mode = next.flags & ~SS_AUTODISARM;
  if (mode !== SS_DISABLE && mode !== SS_ONSTACK && mode !== 0) return -EINVAL;
  if (mode === SS_DISABLE) return { sp: 0, flags: next.flags, size: 0 };
  if (next.size >>> 0 < MINSIGSTKSZ) return -ENOMEM;
  return { sp: next.sp, flags: next.flags, size: next.size >>> 0 };
}
