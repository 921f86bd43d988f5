// tlbexcl's word LDREX and STREX without the lock (src/llsc-tlbexcl/inline-exclusives.ts,
// ExclusiveState.reserveUnlocked / beginCommit): once the frame is marked and
// flushed, a LDREX/STREX pair in translated code calls no helper and takes no
// lock; a STREX with another vCPU's range on the frame, and every store that
// must cancel a range, still go under the lock, so LL/SC keeps its meaning
// (a same-value store in between fails the STREX). Two vCPUs in one thread
// taking turns (harness/vcpu-harness.ts), with the lowering compiled as the
// backend compiles a TB and every helper call counted by name.

import t from 'tap';
import { DATA_BASE, vcpusTakingTurns, type HarnessVcpu } from '../../../harness/vcpu-harness.js';
import { EXCL_MEMOPS, LoweredAtomics } from '../../../harness/lowered-atomics.js';
import { SCRATCH_BASE } from '../../../harness/vcpu-harness.js';

const X = DATA_BASE + 0x100;
const W = EXCL_MEMOPS.W;
const HELPERS = ['a_ld_excl', 'a_st_excl', 'a_clrex'] as const;

interface Counted {
  ops: LoweredAtomics;
  calls: Record<string, number>;
  stat(key: string): number;
}

/** vCPU v's lowered atomics with every helper call counted. */
function counted(v: HarnessVcpu): Counted {
  const calls: Record<string, number> = {};
  const bindings: Record<string, unknown> = { ...v.atomics.bindings };
  for (const name of HELPERS) {
    const helper = bindings[name] as (...a: unknown[]) => unknown;
    calls[name] = 0;
    bindings[name] = (...a: unknown[]) => {
      calls[name]!++;
      return helper(...a);
    };
  }
  const ops = new LoweredAtomics({ ...v.atomics, bindings }, v.env, v.mmu, v.control, SCRATCH_BASE + 64 * v.slot);
  return { ops, calls, stat: (k) => v.atomics.stats()[k] ?? 0 };
}

const total = (calls: Record<string, number>): number => Object.values(calls).reduce((a, b) => a + b, 0);
const reset = (calls: Record<string, number>): void => { for (const k of Object.keys(calls)) calls[k] = 0; };

function twoVcpus(lock: string) {
  const turns = vcpusTakingTurns('tlbexcl', 2, { 'tlbexcl-lock': lock, 'tlbexcl-monitor': 'ranges' });
  const [a, b] = turns.vcpus.map(counted) as [Counted, Counted];
  return { turns, a, b };
}

for (const lock of ['global', 'page']) {
  t.test(`${lock}: a warm word LDREX/STREX pair calls no helper and takes no lock`, async (t) => {
    const { turns, a } = twoVcpus(lock);
    turns.on(0, () => {
      a.ops.store(X, 10, W);
      t.equal(a.ops.ldrex(X, W).lo, 10, 'first LDREX (marks the frame: helper, lock, flush)');
      t.equal(a.ops.strex(X, 11, 0, W), 0, 'its STREX stores');
      reset(a.calls);
      const locks = a.stat('lockAcquisitions');
      for (let i = 0; i < 5; i++) {
        const v = a.ops.ldrex(X, W).lo;
        t.equal(a.ops.strex(X, v + 1, 0, W), 0, `increment ${i}`);
      }
      t.equal(a.ops.load(X, W), 16, 'five increments');
      t.same(a.calls, { a_ld_excl: 0, a_st_excl: 0, a_clrex: 0 }, 'no helper was called');
      t.equal(a.stat('lockAcquisitions'), locks, 'no lock was taken');
      t.ok(a.stat('ldrexUnlocked') >= 5 && a.stat('strexUnlocked') >= 5, 'counted as unlocked');
      t.equal(a.ops.strex(X, 99, 0, W), 1, 'a STREX without a range fails');
      t.equal(total(a.calls), 0, 'inline too');
      t.equal(a.ops.load(X, W), 16, 'and stores nothing');
    });
  });

  t.test(`${lock}: another vCPU's range sends the STREX to the lock, which cancels it`, async (t) => {
    const { turns, a, b } = twoVcpus(lock);
    turns.on(0, () => { a.ops.store(X, 1, W); a.ops.ldrex(X, W); a.ops.strex(X, 1, 0, W); });
    turns.on(1, (v) => { v.boundary(); t.equal(b.ops.ldrex(X, W).lo, 1, 'B reserves'); });
    turns.on(0, () => {
      reset(a.calls);
      t.equal(a.ops.ldrex(X, W).lo, 1, 'A reserves too');
      t.equal(a.calls.a_ld_excl, 0, 'inline');
      const locks = a.stat('lockAcquisitions');
      t.equal(a.ops.strex(X, 2, 0, W), 0, 'A\'s STREX succeeds');
      t.equal(a.calls.a_st_excl, 1, 'through the helper: B\'s range is on the frame');
      t.ok(a.stat('lockAcquisitions') > locks, 'under the lock');
      t.equal(a.stat('rangesCancelled'), 1, 'which cancelled B\'s range');
    });
    turns.on(1, () => {
      reset(b.calls);
      t.equal(b.ops.strex(X, 2, 0, W), 1, 'B\'s STREX fails: no lost update');
      t.equal(b.calls.a_st_excl, 0, 'inline: no range');
      t.equal(b.ops.load(X, W), 2);
    });
  });

  t.test(`${lock}: a same-value plain store between LDREX and an inline STREX fails it (ABA)`, async (t) => {
    const { turns, a, b } = twoVcpus(lock);
    turns.on(0, () => { a.ops.store(X, 7, W); a.ops.ldrex(X, W); a.ops.strex(X, 7, 0, W); a.ops.ldrex(X, W); });
    turns.on(1, (v) => { v.boundary(); b.ops.store(X, 7, W); });
    turns.on(0, () => {
      reset(a.calls);
      t.equal(a.ops.strex(X, 8, 0, W), 1, 'the STREX fails');
      t.equal(total(a.calls), 0, 'inline: the store had cancelled the range');
      t.equal(a.ops.load(X, W), 7);
    });
  });

  t.test(`${lock}: CLREX and a new LDREX drop the range without the lock`, async (t) => {
    const { turns, a } = twoVcpus(lock);
    turns.on(0, () => {
      a.ops.store(X, 3, W);
      a.ops.ldrex(X, W);
      a.ops.strex(X, 3, 0, W);
      const locks = a.stat('lockAcquisitions');
      a.ops.ldrex(X, W);
      a.ops.clrex();
      t.equal(a.ops.strex(X, 4, 0, W), 1, 'STREX after CLREX fails');
      a.ops.ldrex(X + 4, W);
      a.ops.ldrex(X, W);
      t.equal(a.ops.strex(X + 4, 4, 0, W), 1, 'a second LDREX replaced the first range');
      t.equal(a.ops.strex(X, 5, 0, W), 1, 'and a STREX to another address cleared it');
      a.ops.ldrex(X, W);
      t.equal(a.ops.strex(X, 6, 0, W), 0, 'a fresh pair still works');
      t.equal(a.stat('lockAcquisitions'), locks + 1, 'one lock, for the STREX to another address');
    });
  });
}
