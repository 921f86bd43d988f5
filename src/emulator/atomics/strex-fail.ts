// Spurious STREX failures (--strex-fail P), for every strategy: the
// architecture lets a Store-Exclusive fail for no visible reason (ARM ARM
// A3.4.5: an implementation may clear the local monitor at any time, e.g. on
// an interrupt or a cache eviction), so correct guest code retries; but a
// strategy whose STREX is a host compare-and-swap never fails spuriously, and
// the guests' retry paths go untested. This wraps a vCPU's AtomicVcpu: each
// STREX fails with probability P before the strategy sees it, as a real
// failed STREX does: the local monitor is cleared (the strategy's own CLREX,
// which drops only this vCPU's reservation) and the status register gets 1;
// nothing is stored. Other vCPUs' reservations are untouched.
//
// The draws come from a small generator seeded per guest thread (from the
// --sched seed under the deterministic scheduler), so a seeded run stays
// reproducible.

import { nextRandom, seedRandom } from '../sched/sched-random.js';
import type { AtomicVcpu } from './strategy.js';

export class StrexFailInjector {
  /** STREXes failed on purpose (--stats: atomic.strexFailInjected). */
  injected = 0;
  private readonly state = new Int32Array(4);
  /** P as a 32-bit threshold: fail when a draw is below it. */
  private readonly threshold: number;

  constructor(probability: number) {
    if (!(probability >= 0 && probability <= 1)) throw new Error(`--strex-fail ${probability}: expected a probability from 0 to 1`);
    this.threshold = Math.round(probability * 2 ** 32);
    this.reseed(Math.floor(Math.random() * 2 ** 32), 0);
  }

  /** A new guest thread on this vCPU: its own sequence (seed, and its tid to tell threads apart). */
  reseed(seed: number, tid: number): void {
    seedRandom(this.state, 0, seed >>> 0, tid | 0);
  }

  /** True if this STREX is to fail. */
  draw(): boolean {
    if (nextRandom(this.state, 0) >= this.threshold) return false;
    this.injected++;
    return true;
  }

  /** `atomics` with its STREX lowering behind a draw. */
  wrap(atomics: AtomicVcpu): AtomicVcpu {
    return {
      ...bindMethods(atomics),
      bindings: { ...atomics.bindings, a_strex_fail: () => this.draw() },
      st_excl: (status, addr, lo, hi, memop, pc, sync, announced) =>
        `if (a_strex_fail()) { ${atomics.clrex()} ${status} = 1; } else { ${atomics.st_excl(status, addr, lo, hi, memop, pc, sync, announced)} }`,
      stats: () => ({ ...atomics.stats(), strexFailInjected: this.injected }),
    };
  }
}

/** The methods of a strategy's AtomicVcpu, bound to it (a class instance's methods live on its prototype). */
function bindMethods(a: AtomicVcpu): AtomicVcpu {
  return {
    bindings: a.bindings,
    ld_excl: a.ld_excl.bind(a),
    st_excl: a.st_excl.bind(a),
    clrex: a.clrex.bind(a),
    swap: a.swap.bind(a),
    cmpxchg: a.cmpxchg.bind(a),
    cmpxchg64: a.cmpxchg64.bind(a),
    mb: a.mb.bind(a),
    inlineFlaggedStore: a.inlineFlaggedStore,
    tlbWriteFlags: a.tlbWriteFlags.bind(a),
    flaggedStore: a.flaggedStore.bind(a),
    onSyscall: a.onSyscall.bind(a),
    stats: a.stats.bind(a),
  };
}
