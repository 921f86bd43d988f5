// The action table of one guest process (the kernel's sighand_struct): one
// struct sigaction per signal, in the process's shared signal buffer, with a
// count of the signals whose action is a handler.
//
// Readers load the handler word atomically and never lock; every change
// happens under the process's signal lock, held by the caller (SignalState).

import { DefaultAction, defaultAction, NSIG, SIG_DFL, SIG_IGN, SIGKILL, SIGSTOP, UNBLOCKABLE_LO } from './signal-numbers.js';

/** Words per disposition: handler, flags, restorer, mask low, mask high (struct sigaction on ARM). */
export const ACTION_WORDS = 5;
/** Words of the whole table (signals 0..NSIG; 0 is unused). */
export const ACTION_TABLE_WORDS = (NSIG + 1) * ACTION_WORDS;

export interface SigAction {
  handler: number;
  flags: number;
  restorer: number;
  maskLo: number;
  maskHi: number;
}

export class SignalActions {
  /**
   * w: the process's signal buffer; base: the table's first word;
   * handlersIndex: the word that counts signals with a handler.
   */
  constructor(private readonly w: Int32Array, private readonly base: number, private readonly handlersIndex: number) {}

  get(sig: number): SigAction {
    const b = this.base + sig * ACTION_WORDS;
    const w = this.w;
    return { handler: Atomics.load(w, b), flags: w[b + 1]!, restorer: w[b + 2]!, maskLo: w[b + 3]!, maskHi: w[b + 4]! };
  }

  /** The handler word alone (SIG_DFL, SIG_IGN or a guest address); lock-free. */
  handler(sig: number): number {
    return Atomics.load(this.w, this.base + sig * ACTION_WORDS);
  }

  /** True if sig is discarded when it arrives: SIG_IGN, or SIG_DFL with "ignore" as its default. */
  isIgnored(sig: number): boolean {
    const h = this.handler(sig);
    return h === SIG_IGN || (h === SIG_DFL && defaultAction(sig) === DefaultAction.IGNORE);
  }

  /** Its action is SIG_DFL and the default ends the process (or it is SIGKILL). */
  isFatal(sig: number): boolean {
    if (sig === SIGKILL || sig === SIGSTOP) return true;
    return this.handler(sig) === SIG_DFL && defaultAction(sig) !== DefaultAction.IGNORE;
  }

  /** True if some signal has a handler. */
  hasHandlers(): boolean {
    return Atomics.load(this.w, this.handlersIndex) !== 0;
  }

  /** Installs act (SIGKILL and SIGSTOP stay unblocked in its mask); under the lock. */
  installLocked(sig: number, act: SigAction): void {
    const b = this.base + sig * ACTION_WORDS;
    this.w[b + 1] = act.flags;
    this.w[b + 2] = act.restorer;
    this.w[b + 3] = act.maskLo & ~UNBLOCKABLE_LO;
    this.w[b + 4] = act.maskHi;
    // Handler word last: a lock-free reader that sees the new handler reads its flags and mask too.
    Atomics.store(this.w, b, act.handler);
    this.countHandlersLocked();
  }

  /** Back to SIG_DFL (SA_RESETHAND, a forced synchronous fault); under the lock. */
  resetToDefaultLocked(sig: number): void {
    // Lock-free readers of the handler word see SIG_DFL at once.
    Atomics.store(this.w, this.base + sig * ACTION_WORDS, SIG_DFL);
    this.countHandlersLocked();
  }

  /** fork: the parent's table, copied whole; under this table's lock. */
  copyFromLocked(parent: SignalActions): void {
    this.w.set(parent.w.subarray(parent.base, parent.base + ACTION_TABLE_WORDS), this.base);
    this.countHandlersLocked();
  }

  /** execve: caught signals go back to SIG_DFL, ignored ones stay ignored; under the lock. */
  resetForExecLocked(): void {
    for (let sig = 1; sig <= NSIG; sig++) {
      const b = this.base + sig * ACTION_WORDS;
      if (this.w[b]! !== SIG_IGN) {
        this.w.fill(0, b + 1, b + ACTION_WORDS);
        // Lock-free readers of the handler word see SIG_DFL at once.
        Atomics.store(this.w, b, SIG_DFL);
      }
    }
    this.countHandlersLocked();
  }

  private countHandlersLocked(): void {
    let n = 0;
    for (let sig = 1; sig <= NSIG; sig++) {
      const h = this.w[this.base + sig * ACTION_WORDS]!;
      if (h !== SIG_DFL && h !== SIG_IGN) n++;
    }
    // hasHandlers reads the count without the lock.
    Atomics.store(this.w, this.handlersIndex, n);
  }
}
