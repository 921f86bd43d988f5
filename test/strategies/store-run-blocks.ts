// Real A32 blocks of plain stores for the store-run tests of tlbexcl and aie
// (backend/store-announcement.ts: runs of flagged stores under one
// announcement), a block's region function on a harness vCPU, translated
// and emitted as a vCPU does (harness/golden-tbs.ts), and the run tests both
// strategies pass alike.

import t from 'tap';
import { emitGoldenTb } from '../../harness/golden-tbs.js';
import { EXCL_MEMOPS } from '../../harness/lowered-atomics.js';
import { DATA_BASE, type HarnessVcpu, type TakingTurns, vcpusTakingTurns } from '../../harness/vcpu-harness.js';
import type { StrategyOptions } from '../../src/emulator/atomics/strategy.js';
import { compileRegion, makeTbRuntime } from '../../src/emulator/backend/compile-tb.js';
import { PAGE_SIZE } from '../../src/emulator/softmmu/page-bits.js';

const PC = 0x10000;
/** An address no test maps: a load there faults. */
export const UNMAPPED = 0x7000000;
/** The flagged frame's address the tests store to, and one on a second flagged frame. */
export const X = DATA_BASE + 0x100;
export const OTHER = DATA_BASE + PAGE_SIZE + 0x100;

/** The word at guest address a, as vCPU v sees it. */
export const wordAt = (v: HarnessVcpu, a: number): number => v.views.i32[v.mmu.readOffset(a, 4, 0) >> 2]!;
/** One of vCPU v's strategy counters. */
export const statOf = (v: HarnessVcpu, k: string): number => Number(v.atomics.stats()[k] ?? 0);

/** str r3, [r10]; str r3, [r10, #4]; dmb ish; str r1, [r10, #8]; bx lr */
export const RUN = [0xe58a3000, 0xe58a3004, 0xf57ff05b, 0xe58a1008, 0xe12fff1e];
/** str r3, [r10]; ldr r0, [r11]; bx lr */
export const RUN_THEN_FAULT = [0xe58a3000, 0xe59b0000, 0xe12fff1e];
/** str r3, [r10]; str r1, [r11]; bx lr */
export const TWO_FRAMES = [0xe58a3000, 0xe58b1000, 0xe12fff1e];

/** The block's region function on vCPU v (of strategy `strategy`), as the vCPU compiles it. */
export function compiledBlock(v: HarnessVcpu, words: number[], strategy: string): () => number {
  const source = emitGoldenTb({ name: 'run', pc: PC, words, strategies: [strategy] }, v.atomics);
  const fn = compileRegion(makeTbRuntime(v.env, v.mmu, v.atomics.bindings, v.control.pending, v.control.pendingIndex), 'run', source);
  return () => fn(0, 1);
}

/** What both strategies' run tests start from: vCPUs taking turns, vCPU 0 (`a`) with reservations made on `x`'s frame. */
export interface RunWorld {
  readonly turns: TakingTurns;
  readonly a: HarnessVcpu;
}

/**
 * Two vCPUs of `strategy` taking turns; vCPU 0 has made a LDREX/STREX pair
 * on X and on OTHER, which flags both frames (tlbexcl marks them, aie makes
 * entries on their chunks).
 */
export function twoVcpusAfterPairs(strategy: string, options: StrategyOptions = {}): RunWorld & { readonly b: HarnessVcpu } {
  const turns = vcpusTakingTurns(strategy, 2, options);
  const [a, b] = turns.vcpus as [HarnessVcpu, HarnessVcpu];
  turns.on(0, () => {
    for (const addr of [X, OTHER]) {
      a.ops.ldrex(addr, EXCL_MEMOPS.W);
      a.ops.strex(addr, 0, 0, EXCL_MEMOPS.W);
    }
  });
  return { turns, a, b };
}

/**
 * The tests every strategy with runs passes on its flagged frame at `x`: a
 * run of three stores makes one unlocked-store check, stores them all and
 * is withdrawn at the block's exit; a run whose load faults withdraws first.
 * `announced` reads vCPU v's announcement word (0: none).
 */
export function commonRunTests(strategy: string, x: number, world: () => RunWorld, announced: (v: HarnessVcpu) => number): void {
  t.test(`${strategy}: a run of stores to one frame: one check, the stores land, withdrawn at the exit`, async (t) => {
    const { turns, a } = world();
    turns.on(0, () => {
      const run = compiledBlock(a, RUN, strategy);
      a.env[10] = x;
      a.env[3] = 7;
      a.env[1] = 9;
      run(); // fills the flagged TLB entry through the slow path
      const checks = statOf(a, 'unlockedStores');
      const slow = a.mmu.slowStores;
      a.env[3] = 8;
      run();
      t.equal(a.mmu.slowStores, slow, 'no slow path');
      t.equal(statOf(a, 'unlockedStores'), checks + 1, 'one unlocked-store check for three stores');
      t.same([wordAt(a, x), wordAt(a, x + 4), wordAt(a, x + 8)], [8, 8, 9], 'all three stores landed');
      t.equal(announced(a), 0, 'the announcement is withdrawn when the block exits');
    });
  });
  t.test(`${strategy}: a run that faults withdraws its announcement before the fault leaves translated code`, async (t) => {
    const { turns, a } = world();
    turns.on(0, () => {
      const run = compiledBlock(a, RUN_THEN_FAULT, strategy);
      a.env[10] = x;
      a.env[11] = x;
      run(); // warm: the flagged entry is filled
      a.env[11] = UNMAPPED;
      t.throws(() => run(), 'the load faults');
      t.equal(announced(a), 0, 'no announcement is left up (a LDREX on the frame would wait for it forever)');
    });
  });
}
