// LDREX/STREX semantics of one vCPU, no guest code, for unsafe, stop-the-world
// and cmpxchg at every exclusive size (B, H, W, D). One table of scenarios;
// each row says what the value-comparing monitor (stop-the-world, cmpxchg:
// QEMU's exclusive_addr/exclusive_val) returns and what the negative control
// (unsafe: STREX always stores and succeeds) returns. After every scenario the
// target holds the STREX value if it succeeded and the value it had before if
// it failed, and no byte outside the accessed items changed.

import t from 'tap';
import { Env } from '../../src/emulator/arm/cpu-state.js';
import { SIGBUS } from '../../src/emulator/softmmu/guest-fault.js';
import { DATA_BASE, type HarnessVcpu, singleVcpu } from '../../harness/vcpu-harness.js';
import { EXCL_SIZES } from '../../harness/lowered-atomics.js';
import { SAMPLE_VALUES, SizedAccess } from './sized-access.js';

type MonitorKind = 'value-compare' | 'none';
const STRATEGY_KINDS: Readonly<Record<string, MonitorKind>> = {
  unsafe: 'none',
  'stop-the-world': 'value-compare',
  cmpxchg: 'value-compare',
};

/** Two 8-aligned targets and the bytes around them, which must never change. */
const X = DATA_BASE + 0x100;
const Y = DATA_BASE + 0x110;
const AROUND_START = X - 16;
const AROUND_END = Y + 24;
const AROUND_FILL = 0x3c;

interface Outcome {
  /** STREX status: 0 stored, 1 not. */
  status: number;
  /** Where the final STREX went, with which size and value. */
  addr: number;
  access: SizedAccess;
  stored: bigint;
  /** The target's content just before the final STREX. */
  before: bigint;
}

interface Scenario {
  name: string;
  /** X holds a when run starts; b and c are two other values of the same size. */
  run(v: HarnessVcpu, s: SizedAccess, a: bigint, b: bigint, c: bigint): Outcome;
  /** Expected final status for each kind of monitor. */
  expect: Readonly<Record<MonitorKind, 0 | 1>>;
  /** Expected stop-the-world/cmpxchg failure counters (strexFailMonitor, strexFailValue) over the whole scenario. */
  failures: readonly [monitor: number, value: number];
}

function finalStrex(v: HarnessVcpu, s: SizedAccess, addr: number, value: bigint): Outcome {
  const before = s.load(v.ops, addr);
  return { status: s.strex(v.ops, addr, value), addr, access: s, stored: value, before };
}

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'LDREX then STREX stores',
    run: (v, s, _a, b) => { s.ldrex(v.ops, X); return finalStrex(v, s, X, b); },
    expect: { 'value-compare': 0, none: 0 }, failures: [0, 0],
  },
  {
    name: 'STREX without LDREX fails',
    run: (v, s, _a, b) => finalStrex(v, s, X, b),
    expect: { 'value-compare': 1, none: 0 }, failures: [1, 0],
  },
  {
    name: 'STREX at another address fails',
    run: (v, s, a, b) => { s.store(v.ops, Y, a); s.ldrex(v.ops, X); return finalStrex(v, s, Y, b); },
    expect: { 'value-compare': 1, none: 0 }, failures: [1, 0],
  },
  {
    name: 'STREX at the LDREX address after a STREX elsewhere fails (every STREX clears the monitor)',
    run: (v, s, a, b) => {
      s.store(v.ops, Y, a);
      s.ldrex(v.ops, X);
      s.strex(v.ops, Y, b);
      return finalStrex(v, s, X, b);
    },
    expect: { 'value-compare': 1, none: 0 }, failures: [2, 0],
  },
  {
    name: 'STREX of another size at the same address fails',
    run: (v, s, _a, b) => {
      s.ldrex(v.ops, X);
      const other = new SizedAccess(s.otherSize());
      return finalStrex(v, other, X, b & other.mask);
    },
    expect: { 'value-compare': 1, none: 0 }, failures: [1, 0],
  },
  {
    name: 'STREX after CLREX fails',
    run: (v, s, _a, b) => { s.ldrex(v.ops, X); v.ops.clrex(); return finalStrex(v, s, X, b); },
    expect: { 'value-compare': 1, none: 0 }, failures: [1, 0],
  },
  {
    name: 'STREX after a syscall fails (Linux clears the monitor on return to user)',
    run: (v, s, _a, b) => { s.ldrex(v.ops, X); v.ops.syscall(); return finalStrex(v, s, X, b); },
    expect: { 'value-compare': 1, none: 0 }, failures: [1, 0],
  },
  {
    name: 'STREX after a plain store of a different value fails',
    run: (v, s, _a, b, c) => { s.ldrex(v.ops, X); s.store(v.ops, X, c); return finalStrex(v, s, X, b); },
    expect: { 'value-compare': 1, none: 0 }, failures: [0, 1],
  },
  {
    // The known ABA weakness of a value-comparing STREX, NOT a desired
    // property: changed and changed back compares equal, so STREX succeeds.
    name: 'ABA weakness: STREX after A->B->A by plain stores succeeds',
    run: (v, s, a, b, c) => {
      s.ldrex(v.ops, X);
      s.store(v.ops, X, c);
      s.store(v.ops, X, a);
      return finalStrex(v, s, X, b);
    },
    expect: { 'value-compare': 0, none: 0 }, failures: [0, 0],
  },
  {
    // Same weakness: a store of the value already there goes unnoticed.
    name: 'same-value weakness: STREX after a plain store of the same value succeeds',
    run: (v, s, a, b) => { s.ldrex(v.ops, X); s.store(v.ops, X, a); return finalStrex(v, s, X, b); },
    expect: { 'value-compare': 0, none: 0 }, failures: [0, 0],
  },
  {
    name: 'a second STREX after a successful one fails',
    run: (v, s, _a, b, c) => { s.ldrex(v.ops, X); s.strex(v.ops, X, c); return finalStrex(v, s, X, b); },
    expect: { 'value-compare': 1, none: 0 }, failures: [1, 0],
  },
  {
    name: 'a failed STREX clears the monitor even when the value is restored',
    run: (v, s, a, b, c) => {
      s.ldrex(v.ops, X);
      s.store(v.ops, X, c);
      s.strex(v.ops, X, b);
      s.store(v.ops, X, a);
      return finalStrex(v, s, X, b);
    },
    expect: { 'value-compare': 1, none: 0 }, failures: [1, 1],
  },
  {
    name: 'the newest LDREX decides the address',
    run: (v, s, a, b) => {
      s.store(v.ops, Y, a);
      s.ldrex(v.ops, Y);
      s.ldrex(v.ops, X);
      return finalStrex(v, s, X, b);
    },
    expect: { 'value-compare': 0, none: 0 }, failures: [0, 0],
  },
];

function fillAround(v: HarnessVcpu): void {
  for (let a = AROUND_START; a < AROUND_END; a++) v.views.u8[v.mmu.readOffset(a, 1, 0)] = AROUND_FILL;
}

/** Bytes outside the 8-byte items at X and Y that differ from the fill. */
function changedNeighbours(v: HarnessVcpu): number[] {
  const out: number[] = [];
  for (let a = AROUND_START; a < AROUND_END; a++) {
    if ((a >= X && a < X + 8) || (a >= Y && a < Y + 8)) continue;
    if (v.views.u8[v.mmu.readOffset(a, 1, 0)] !== AROUND_FILL) out.push(a);
  }
  return out;
}

for (const [strategy, kind] of Object.entries(STRATEGY_KINDS)) {
  t.test(`${strategy}: exclusive monitor of one vCPU`, async (t) => {
    for (const size of EXCL_SIZES) {
      const s = new SizedAccess(size);
      const [a, b, c] = SAMPLE_VALUES[size];
      for (const sc of SCENARIOS) {
        const v = singleVcpu(strategy);
        fillAround(v);
        s.store(v.ops, X, a);
        const out = sc.run(v, s, a, b, c);
        const label = `${size}: ${sc.name}`;
        t.equal(out.status, sc.expect[kind], `${label}: status`);
        const expected = out.status === 0 ? out.stored & out.access.mask : out.before;
        t.equal(out.access.load(v.ops, out.addr), expected, `${label}: memory holds ${out.status === 0 ? 'the STREX value' : 'what it held before'}`);
        t.same(changedNeighbours(v), [], `${label}: no byte outside the item changed`);
        if (kind === 'value-compare') {
          const st = v.atomics.stats();
          t.same([st.strexFailMonitor, st.strexFailValue], sc.failures, `${label}: failure counters (monitor, value)`);
          t.equal(v.env[Env.EXCL_ADDR], -1, `${label}: the monitor is open after STREX`);
        }
      }
    }
  });

  t.test(`${strategy}: LDREX reads the item zero-extended, LDREXD both words`, async (t) => {
    const v = singleVcpu(strategy);
    for (const size of EXCL_SIZES) {
      const s = new SizedAccess(size);
      for (const value of SAMPLE_VALUES[size]) {
        s.store(v.ops, X, value);
        t.equal(s.ldrex(v.ops, X), value, `${size} LDREX of 0x${value.toString(16)}`);
      }
    }
  });

  t.test(`${strategy}: misaligned exclusive access is SIGBUS`, async (t) => {
    const v = singleVcpu(strategy);
    for (const size of EXCL_SIZES.filter((z) => z !== 'B')) {
      const s = new SizedAccess(size);
      t.throws(() => s.ldrex(v.ops, X + 1), { name: 'GuestFault', signal: SIGBUS }, `${size} LDREX at X+1`);
    }
  });
}
