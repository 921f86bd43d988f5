// Linux signal numbers, sigaction flags, si_code values and default actions
// for 32-bit ARM (arch/arm/include/uapi/asm/signal.h, asm-generic/siginfo.h).
// Signal sets are two 32-bit words: signal n is bit (n-1)&31 of word (n-1)>>5.

export const NSIG = 64;
/** First real-time signal (the kernel's; glibc reserves 32..34 for itself). */
export const SIGRTMIN = 32;

export const SIGHUP = 1;
export const SIGINT = 2;
export const SIGQUIT = 3;
export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGABRT = 6;
export const SIGBUS = 7;
export const SIGFPE = 8;
export const SIGKILL = 9;
export const SIGUSR1 = 10;
export const SIGSEGV = 11;
export const SIGUSR2 = 12;
export const SIGPIPE = 13;
export const SIGALRM = 14;
export const SIGTERM = 15;
export const SIGSTKFLT = 16;
export const SIGCHLD = 17;
export const SIGCONT = 18;
export const SIGSTOP = 19;
export const SIGTSTP = 20;
export const SIGTTIN = 21;
export const SIGTTOU = 22;
export const SIGURG = 23;
export const SIGXCPU = 24;
export const SIGXFSZ = 25;
export const SIGVTALRM = 26;
export const SIGPROF = 27;
export const SIGWINCH = 28;
export const SIGIO = 29;
export const SIGPWR = 30;
export const SIGSYS = 31;

// struct sigaction's handler values
export const SIG_DFL = 0;
export const SIG_IGN = 1;

// sa_flags (ARM values)
export const SA_NOCLDSTOP = 0x00000001;
export const SA_NOCLDWAIT = 0x00000002;
export const SA_SIGINFO = 0x00000004;
export const SA_THIRTYTWO = 0x02000000;
export const SA_RESTORER = 0x04000000;
export const SA_ONSTACK = 0x08000000;
export const SA_RESTART = 0x10000000;
export const SA_NODEFER = 0x40000000;
export const SA_RESETHAND = 0x80000000 | 0;

// si_code values
export const SI_USER = 0;
export const SI_KERNEL = 0x80;
export const SI_QUEUE = -1;
export const SI_TIMER = -2;
export const SI_TKILL = -6;
export const ILL_ILLOPC = 1;
export const SEGV_MAPERR = 1;
export const SEGV_ACCERR = 2;
export const BUS_ADRALN = 1;
export const TRAP_BRKPT = 1;
export const CLD_EXITED = 1;
export const CLD_KILLED = 2;
export const CLD_DUMPED = 3;

// sigaltstack
export const SS_ONSTACK = 1;
export const SS_DISABLE = 2;
export const SS_AUTODISARM = 0x80000000 | 0;
export const MINSIGSTKSZ = 2048;

/** What a signal does when its action is SIG_DFL. */
export const enum DefaultAction {
  TERMINATE,
  /** Terminate with a core dump (the exit status is the same 128+sig here). */
  CORE,
  IGNORE,
  /** SIGSTOP and friends: mttcg has no job control and ends the process, as it always did. */
  STOP,
}

const CORE_SIGNALS = new Set([SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGXCPU, SIGXFSZ, SIGSYS]);
const IGNORED_SIGNALS = new Set([SIGCHLD, SIGCONT, SIGURG, SIGWINCH]);
const STOP_SIGNALS = new Set([SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU]);

export function defaultAction(sig: number): DefaultAction {
  if (IGNORED_SIGNALS.has(sig)) return DefaultAction.IGNORE;
  if (CORE_SIGNALS.has(sig)) return DefaultAction.CORE;
  if (STOP_SIGNALS.has(sig)) return DefaultAction.STOP;
  return DefaultAction.TERMINATE;
}

/** Signals a faulting instruction raises; dequeued before any other (the kernel's SYNCHRONOUS_MASK). */
export const SYNCHRONOUS_MASK_LO = bitOf(SIGSEGV) | bitOf(SIGBUS) | bitOf(SIGILL) | bitOf(SIGTRAP) | bitOf(SIGFPE) | bitOf(SIGSYS);

/** Neither blockable nor catchable. */
export const UNBLOCKABLE_LO = bitOf(SIGKILL) | bitOf(SIGSTOP);

/** The bit of signal sig (1..64) within its word. */
export function bitOf(sig: number): number {
  return (1 << ((sig - 1) & 31)) | 0;
}

/** Which of the two set words holds signal sig. */
export function wordOf(sig: number): number {
  return (sig - 1) >> 5;
}

export function isRealtime(sig: number): boolean {
  return sig >= SIGRTMIN;
}

/** Lowest signal in a set (synchronous ones first), or 0 for an empty set. */
export function firstSignal(lo: number, hi: number): number {
  if (lo !== 0) {
    const sync = lo & SYNCHRONOUS_MASK_LO;
    const x = sync !== 0 ? sync : lo;
    return 32 - Math.clz32(x & -x);
  }
  if (hi !== 0) return 32 + 32 - Math.clz32(hi & -hi);
  return 0;
}

const NAMES: readonly string[] = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1',
  'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP',
  'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
];

export function signalName(sig: number): string {
  if (sig >= 1 && sig < 32) return NAMES[sig]!;
  if (sig >= SIGRTMIN && sig <= NSIG) return `SIGRT${sig - SIGRTMIN}`;
  return `signal ${sig}`;
}
