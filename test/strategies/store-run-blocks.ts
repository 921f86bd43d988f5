// Real A32 blocks of plain stores for the store-run tests of tlbexcl and aie
// (backend/store-announcement.ts: runs of flagged stores under one
// announcement), a block's region function on a harness vCPU, translated
// and emitted as a vCPU does (harness/golden-tbs.ts), and the run tests both
// strategies pass alike.

import t from 'tap';
import { emitGoldenTb } from '../../harness/golden-tbs.js';
import type { HarnessVcpu, TakingTurns } from '../../harness/vcpu-harness.js';
import { compileRegion, makeTbRuntime } from '../../src/emulator/backend/compile-tb.js';

const PC = 0x10000;
/** An address no test maps: a load there faults. */
export const UNMAPPED = 0x7000000;
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
 * The tests every strategy with runs passes on its flagged frame at `x`: a
 * run of three stores makes one unlocked-store check, stores them all and
 * is withdrawn at the block's exit; a run whose load faults withdraws first.
 * `announced` reads vCPU v's announcement word (0: none).
 */
export function commonRunTests(strategy: string, x: number, world: () => RunWorld, announced: (v: HarnessVcpu) => number): void {
  const stat = (v: HarnessVcpu, k: string): number => Number(v.atomics.stats()[k] ?? 0);
  const word = (v: HarnessVcpu, a: number): number => v.views.i32[v.mmu.readOffset(a, 4, 0) >> 2]!;
  t.test(`${strategy}: a run of stores to one frame: one check, the stores land, withdrawn at the exit`, async (t) => {
    const { turns, a } = world();
    turns.on(0, () => {
      const run = compiledBlock(a, RUN, strategy);
      a.env[10] = x;
      a.env[3] = 7;
      a.env[1] = 9;
      run(); // fills the flagged TLB entry through the slow path
      const checks = stat(a, 'unlockedStores');
      const slow = a.mmu.slowStores;
      a.env[3] = 8;
      run();
      t.equal(a.mmu.slowStores, slow, 'no slow path');
      t.equal(stat(a, 'unlockedStores'), checks + 1, 'one unlocked-store check for three stores');
      t.same([word(a, x), word(a, x + 4), word(a, x + 8)], [8, 8, 9], 'all three stores landed');
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
