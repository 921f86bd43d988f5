// cmpxchg's inline fast paths (src/value-compare/inline-exclusives.ts): once
// the TLB holds the page, a word LDREX, STREX, SWP and kuser cmpxchg run in
// the translated statement itself, without calling the strategy's helpers,
// with the same results and --stats counters as the helpers; a miss, a
// misaligned address, another size or a STREX the monitor does not match goes
// to the helper. stop-the-world (the same monitor, committed in a section) is
// the control: it calls a helper every time.

import t from 'tap';
import { SIGBUS } from '../../src/emulator/softmmu/guest-fault.js';
import { DATA_BASE, SCRATCH_BASE, singleVcpu, type HarnessVcpu } from '../../harness/vcpu-harness.js';
import { EXCL_MEMOPS, LoweredAtomics, SWP_MEMOPS } from '../../harness/lowered-atomics.js';

const X = DATA_BASE + 0x300;
const HELPERS = ['a_ld_excl', 'a_st_excl', 'a_swap', 'a_cmpxchg'] as const;

/** The vCPU's lowered atomics with every helper call counted by name. */
function counted(v: HarnessVcpu): { ops: LoweredAtomics; calls: Record<string, number> } {
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
  const ops = new LoweredAtomics({ ...v.atomics, bindings }, v.env, v.mmu, v.control, SCRATCH_BASE);
  return { ops, calls };
}

const total = (calls: Record<string, number>): number => Object.values(calls).reduce((a, b) => a + b, 0);

function warmSequence(ops: LoweredAtomics): number[] {
  const W = EXCL_MEMOPS.W;
  const out: number[] = [];
  out.push(ops.ldrex(X, W).lo, ops.strex(X, 11, 0, W)); // stores 11
  out.push(ops.ldrex(X, W).lo);
  ops.store(X, 12, EXCL_MEMOPS.W);
  out.push(ops.strex(X, 13, 0, W)); // value changed since LDREX: fails
  out.push(ops.swp(X, 20, SWP_MEMOPS.W)); // returns 12
  out.push(ops.cas(X, 20, 21), ops.cas(X, 20, 22)); // 1, then 0
  out.push(ops.load(X, EXCL_MEMOPS.W));
  return out;
}

t.test('cmpxchg: word LDREX/STREX/SWP/cmpxchg on a TLB hit call no helper, with the helpers\' results and counters', async (t) => {
  const v = singleVcpu('cmpxchg');
  const { ops, calls } = counted(v);
  ops.store(X, 10, EXCL_MEMOPS.W);
  ops.ldrex(X, EXCL_MEMOPS.W);
  ops.strex(X, 10, 0, EXCL_MEMOPS.W); // fills the read and write entries
  const before = v.atomics.stats();
  for (const name of HELPERS) calls[name] = 0;
  t.same(warmSequence(ops), [10, 0, 11, 1, 12, 1, 0, 21], 'the architectural results');
  t.equal(total(calls), 0, 'no helper was called');
  const after = v.atomics.stats();
  const delta = (k: string): number => after[k]! - before[k]!;
  t.same([delta('ldrex'), delta('strex'), delta('strexFailValue'), delta('swaps'), delta('cas'), delta('casFail')],
    [2, 2, 1, 1, 2, 1], 'counted as the helpers count');
});

t.test('stop-the-world (control): the same sequence calls its helpers', async (t) => {
  const v = singleVcpu('stop-the-world');
  const { ops, calls } = counted(v);
  ops.store(X, 10, EXCL_MEMOPS.W);
  ops.ldrex(X, EXCL_MEMOPS.W);
  ops.strex(X, 10, 0, EXCL_MEMOPS.W);
  for (const name of HELPERS) calls[name] = 0;
  t.same(warmSequence(ops), [10, 0, 11, 1, 12, 1, 0, 21], 'the same results');
  t.same(calls, { a_ld_excl: 2, a_st_excl: 2, a_swap: 1, a_cmpxchg: 2 }, 'every op through its helper');
});

t.test('cmpxchg: what the fast path does not cover goes to the helper', async (t) => {
  const v = singleVcpu('cmpxchg');
  const { ops, calls } = counted(v);
  t.equal(ops.ldrex(X, EXCL_MEMOPS.W).lo, 0, 'a cold TLB: LDREX');
  t.equal(calls.a_ld_excl, 1, 'through the helper');
  t.equal(ops.strex(X + 4, 1, 0, EXCL_MEMOPS.W), 1, 'a STREX the monitor does not match fails');
  t.equal(calls.a_st_excl, 1, 'in the helper');
  t.throws(() => ops.ldrex(X + 2, EXCL_MEMOPS.W), { name: 'GuestFault', signal: SIGBUS }, 'a misaligned LDREX is SIGBUS');
  t.equal(calls.a_ld_excl, 2, 'raised by the helper');
  ops.ldrex(X, EXCL_MEMOPS.B);
  t.equal(calls.a_ld_excl, 3, 'a byte LDREX uses the helper');
  t.equal(ops.strex(X, 5, 0, EXCL_MEMOPS.B), 0, 'and its STREX stores');
  t.equal(calls.a_st_excl, 2, 'through the helper');
});
