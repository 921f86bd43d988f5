// Golden emitted JavaScript: a few TBs, each given as A32 words at a guest pc
// (or a kuser helper address), translated and emitted for every strategy
// exactly as a vCPU does (translateBlock -> optimize -> removeDeadCode ->
// emitTb, with comments). test/unit/backend/emitted-js.test.ts compares the
// result with test/golden/emitted-js/<strategy>/<tb>.js; after an intended
// change of the front end, the IR passes or the emitter, `npm run
// golden:update` rewrites those files, and the diff shows what changed.

import { join } from 'node:path';
import { translateBlock } from '../src/emulator/arm/translator.js';
import { KUSER_CMPXCHG, KUSER_CMPXCHG64, KUSER_MEMORY_BARRIER } from '../src/emulator/arm/trans-kuser.js';
import type { AtomicLowering } from '../src/emulator/atomics/strategy.js';
import { emitTb } from '../src/emulator/backend/emit-tb.js';
import { removeDeadCode } from '../src/emulator/ir/liveness.js';
import { optimize } from '../src/emulator/ir/optimize.js';
import { strategyNames } from '../src/machine/strategy-registry.js';
import { ROOT } from './guest-runner.js';
import { singleVcpu } from './vcpu-harness.js';

export interface GoldenTb {
  readonly name: string;
  readonly pc: number;
  /** The instruction words at pc, pc + 4, ... (none for a kuser helper). */
  readonly words: readonly number[];
  /** Strategies it is emitted for (atomic TBs: every one). */
  readonly strategies: 'all' | readonly string[];
}

const PC = 0x10000;

export const GOLDEN_TBS: readonly GoldenTb[] = [
  // 1: ldrex r1, [r0]; add r1, r1, #1; strex r2, r1, [r0]; cmp r2, #0; bne 1b  (a self-looping TB)
  { name: 'atomic-add', pc: PC, words: [0xe1901f9f, 0xe2811001, 0xe1802f91, 0xe3520000, 0x1afffffa], strategies: 'all' },
  // swp r1, r2, [r0]; swpb r1, r2, [r0]; bx lr
  { name: 'swp', pc: PC, words: [0xe1001092, 0xe1401092, 0xe12fff1e], strategies: 'all' },
  // ldrexd r2, r3, [r0]; strexd r1, r2, r3, [r0]; clrex; dmb ish; bx lr
  { name: 'exclusive-64', pc: PC, words: [0xe1b02f9f, 0xe1a01f92, 0xf57ff01f, 0xf57ff05b, 0xe12fff1e], strategies: 'all' },
  { name: 'kuser-cmpxchg', pc: KUSER_CMPXCHG, words: [], strategies: 'all' },
  { name: 'kuser-cmpxchg64', pc: KUSER_CMPXCHG64, words: [], strategies: 'all' },
  { name: 'kuser-barrier', pc: KUSER_MEMORY_BARRIER, words: [], strategies: 'all' },
  // ldr r1, [r0, #4]; adds r1, r1, r2; str r1, [r0], #4; movne r3, r1, lsl #3; ldmia r0!, {r4, r5};
  // mrc p15, 0, r6, c13, c0, 3 (TPIDRURO); bx lr
  // str r3, [r10, #68]; str r3, [r10, #72]; dmb ish; str r1, [r10, #64]; bx lr  (a critical section's
  // stores and its unlock: one announcement for the run under tlbexcl and under aie)
  { name: 'store-run', pc: PC, words: [0xe58a3044, 0xe58a3048, 0xf57ff05b, 0xe58a1040, 0xe12fff1e], strategies: ['tlbexcl', 'aie'] },
  { name: 'alu-memory', pc: PC, words: [0xe5901004, 0xe0911002, 0xe4801004, 0x11a03181, 0xe8b00030, 0xee1d6f70, 0xe12fff1e], strategies: ['cmpxchg'] },
];

export const GOLDEN_DIR = join(ROOT, 'test', 'golden', 'emitted-js');

/** The strategies a TB is emitted for. */
export function strategiesOf(tb: GoldenTb): readonly string[] {
  return tb.strategies === 'all' ? strategyNames() : tb.strategies;
}

/**
 * Strategies that emit the same source share one file:
 * test/golden/emitted-js/<tb>/<strategy>+<strategy>....js (most strategies
 * lower every atomic op to a helper call, so most TBs have one file).
 */
export function goldenFileName(strategies: readonly string[]): string {
  return `${strategies.join('+')}.js`;
}

export function goldenDir(tb: GoldenTb): string {
  return join(GOLDEN_DIR, tb.name);
}

/** The TB's JavaScript as a vCPU of `strategy` would compile it. */
export function emitGoldenTb(tb: GoldenTb, atomics: AtomicLowering): string {
  const fetch = (a: number): number | null => tb.words[((a - tb.pc) >>> 2)] ?? null;
  // A32 code: execution state 0 (ARM); a golden TB holds no Thumb halfwords.
  const ir = translateBlock(tb.pc, 0, { fetch32: fetch, fetch16: () => null }, 512);
  const globals = ir.builder.globals;
  const ops = removeDeadCode(optimize(ir.builder.ops), ir.builder.tempCount, globals);
  return `${emitTb(ops, { pc: tb.pc, mnemonics: ir.mnemonics }, globals, atomics, true)}\n`;
}

const lowerings = new Map<string, AtomicLowering>();

/** The lowering of a vCPU of the strategy (attached through the test harness; one per strategy). */
export function loweringOf(strategy: string): AtomicLowering {
  let atomics = lowerings.get(strategy);
  if (!atomics) {
    const v = singleVcpu(strategy);
    v.release();
    lowerings.set(strategy, (atomics = v.atomics));
  }
  return atomics;
}
