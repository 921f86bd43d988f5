// Deterministic interleavings of two vCPUs in one thread (TakingTurns: the
// vCPU not running is blocked in the "kernel", so flushes and exclusive
// sections never wait for it): what another vCPU's stores, SWPs, cmpxchgs and
// LDREX/STREX pairs do to this vCPU's reservation, at every exclusive size.
// The value-comparing strategies notice a changed value and miss every
// changed-and-changed-back value (the known ABA weakness, asserted so that a
// change in behaviour is noticed, not because it is desired); unsafe notices
// nothing and loses the update.

import t from 'tap';
import { DATA_BASE, type TakingTurns, vcpusTakingTurns } from '../../harness/vcpu-harness.js';
import { EXCL_SIZES, SWP_MEMOPS } from '../../harness/lowered-atomics.js';
import { SAMPLE_VALUES, SizedAccess } from './sized-access.js';

type MonitorKind = 'value-compare' | 'none';
const STRATEGY_KINDS: Readonly<Record<string, MonitorKind>> = {
  unsafe: 'none',
  'stop-the-world': 'value-compare',
  cmpxchg: 'value-compare',
};

const X = DATA_BASE + 0x300;

interface Interleaving {
  name: string;
  /** vCPU 0 has done LDREX at X (holding a); vCPU 1 runs this before vCPU 0's STREX of b. */
  other(turns: TakingTurns, s: SizedAccess, a: bigint, c: bigint): void;
  expect: Readonly<Record<MonitorKind, 0 | 1>>;
}

const INTERLEAVINGS: readonly Interleaving[] = [
  {
    name: "another vCPU's plain store of a different value makes STREX fail",
    other: (turns, s, _a, c) => turns.on(1, (v) => s.store(v.ops, X, c)),
    expect: { 'value-compare': 1, none: 0 },
  },
  {
    name: "another vCPU's LDREX/STREX of a different value makes STREX fail",
    other: (turns, s, _a, c) => turns.on(1, (v) => { s.ldrex(v.ops, X); s.strex(v.ops, X, c); }),
    expect: { 'value-compare': 1, none: 0 },
  },
  {
    // Known weakness (aba-plain), not a desired property.
    name: "ABA weakness: another vCPU's plain stores A->C->A go unnoticed",
    other: (turns, s, a, c) => turns.on(1, (v) => { s.store(v.ops, X, c); s.store(v.ops, X, a); }),
    expect: { 'value-compare': 0, none: 0 },
  },
  {
    // Known weakness (aba-llsc), not a desired property.
    name: "ABA weakness: another vCPU's LDREX/STREX pairs A->C->A go unnoticed",
    other: (turns, s, a, c) => turns.on(1, (v) => {
      s.ldrex(v.ops, X);
      s.strex(v.ops, X, c);
      s.ldrex(v.ops, X);
      s.strex(v.ops, X, a);
    }),
    expect: { 'value-compare': 0, none: 0 },
  },
  {
    // Known weakness (store-same), not a desired property.
    name: "same-value weakness: another vCPU's store of the same value goes unnoticed",
    other: (turns, s, a) => turns.on(1, (v) => s.store(v.ops, X, a)),
    expect: { 'value-compare': 0, none: 0 },
  },
  {
    name: "another vCPU's CLREX does not clear this vCPU's reservation",
    other: (turns) => turns.on(1, (v) => v.ops.clrex()),
    expect: { 'value-compare': 0, none: 0 },
  },
  {
    name: "another vCPU's syscall does not clear this vCPU's reservation",
    other: (turns) => turns.on(1, (v) => v.ops.syscall()),
    expect: { 'value-compare': 0, none: 0 },
  },
];

for (const [strategy, kind] of Object.entries(STRATEGY_KINDS)) {
  t.test(`${strategy}: another vCPU between LDREX and STREX`, async (t) => {
    for (const size of EXCL_SIZES) {
      const s = new SizedAccess(size);
      const [a, b, c] = SAMPLE_VALUES[size];
      for (const il of INTERLEAVINGS) {
        const turns = vcpusTakingTurns(strategy, 2);
        turns.on(0, (v) => { s.store(v.ops, X, a); s.ldrex(v.ops, X); });
        il.other(turns, s, a, c);
        const before = turns.on(1, (v) => s.load(v.ops, X));
        const status = turns.on(0, (v) => s.strex(v.ops, X, b));
        t.equal(status, il.expect[kind], `${size}: ${il.name}`);
        t.equal(turns.on(1, (v) => s.load(v.ops, X)), status === 0 ? b : before, `${size}: memory as the status says`);
      }
    }
  });

  t.test(`${strategy}: SWP and cmpxchg by another vCPU`, async (t) => {
    const w = new SizedAccess('W');
    const turns = vcpusTakingTurns(strategy, 2);
    turns.on(0, (v) => { w.store(v.ops, X, 5n); w.ldrex(v.ops, X); });
    t.equal(turns.on(1, (v) => v.ops.swp(X, 6, SWP_MEMOPS.W)), 5, 'the other vCPU swaps 5 for 6');
    t.equal(turns.on(0, (v) => w.strex(v.ops, X, 9n)), kind === 'none' ? 0 : 1, "this vCPU's STREX sees the SWP");
    turns.on(0, (v) => { w.store(v.ops, X, 5n); w.ldrex(v.ops, X); });
    t.equal(turns.on(1, (v) => v.ops.cas(X, 5, 7)), 1, 'the other vCPU cmpxchgs 5 to 7');
    t.equal(turns.on(0, (v) => w.strex(v.ops, X, 9n)), kind === 'none' ? 0 : 1, "this vCPU's STREX sees the cmpxchg");
  });

  t.test(`${strategy}: two vCPUs increment through LDREX/STREX, interleaved`, async (t) => {
    // Both read 0; the first STREX stores 1. The second must fail and retry,
    // or the increment is lost (unsafe).
    const w = new SizedAccess('W');
    const turns = vcpusTakingTurns(strategy, 2);
    const read0 = turns.on(0, (v) => { w.store(v.ops, X, 0n); return w.ldrex(v.ops, X); });
    const read1 = turns.on(1, (v) => w.ldrex(v.ops, X));
    t.equal(turns.on(0, (v) => w.strex(v.ops, X, read0 + 1n)), 0, 'the first STREX succeeds');
    const second = turns.on(1, (v) => w.strex(v.ops, X, read1 + 1n));
    if (second !== 0) {
      const again = turns.on(1, (v) => w.ldrex(v.ops, X));
      t.equal(turns.on(1, (v) => w.strex(v.ops, X, again + 1n)), 0, 'the retry succeeds');
    }
    t.equal(second, kind === 'none' ? 0 : 1, 'the second STREX fails exactly where there is a monitor');
    t.equal(turns.on(0, (v) => w.load(v.ops, X)), kind === 'none' ? 1n : 2n, kind === 'none' ? 'unsafe lost an increment' : 'no increment lost');
  });
}
