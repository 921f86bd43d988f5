// Decoder and backend fuzzing: random A32 words, every 16-bit Thumb halfword
// (outside and inside an IT block) and random 32-bit Thumb words (also
// inside IT blocks) must either translate to IR that the optimiser, the
// liveness pass, the JS backend (source that compiles) and the interpreter
// (steps) accept, or decode as UNDEFINED; never an internal error.
// test/unit/arm/decoder-fuzz.test.ts runs it with FAST_FUZZ in npm test,
// test/acceptance/decoder-fuzz.test.ts with FULL_FUZZ.

import type { Test } from 'tap';
import { translateBlock } from '../src/emulator/arm/translator.js';
import { optimize } from '../src/emulator/ir/optimize.js';
import { removeDeadCode } from '../src/emulator/ir/liveness.js';
import { emitTb } from '../src/emulator/backend/emit-tb.js';
import { CORE_BINDINGS } from '../src/emulator/backend/js-names.js';
import { prepareInterpOps } from '../src/emulator/backend/interp-peephole.js';
import { buildInterpTb, type InterpBuilder } from '../src/emulator/backend/interp-tb.js';
import type { StepRuntime } from '../src/emulator/backend/interp-ops.js';
import { A32_GLOBALS, Env } from '../src/emulator/arm/cpu-state.js';
import type { AtomicLowering } from '../src/emulator/atomics/strategy.js';

/** How many random words of each kind (the 16-bit Thumb halfwords are always all of them). */
export interface FuzzCounts {
  readonly a32Words: number;
  readonly t32Words: number;
}

export const FAST_FUZZ: FuzzCounts = { a32Words: 20000, t32Words: 20000 };
export const FULL_FUZZ: FuzzCounts = { a32Words: 100000, t32Words: 100000 };

const lowering: AtomicLowering = {
  bindings: {},
  ld_excl: (lo, hi, a) => `${lo} = ${a}; ${hi} = 0;`,
  st_excl: (s) => `${s} = 0;`,
  clrex: () => '',
  swap: (d, a) => `${d} = ${a};`,
  cmpxchg: (ok) => `${ok} = 1;`,
  cmpxchg64: (ok) => `${ok} = 1;`,
  mb: () => '',
};

/** The cold tier's builder over a frame with no memory behind it (steps are built, not run). */
const interp: InterpBuilder = {
  rt: { F: new Int32Array(Env.SIZE + 4096) } as unknown as StepRuntime,
  tempSlots: 4096,
  nGlobals: A32_GLOBALS.count,
  pcSlot: A32_GLOBALS.pcSlot,
  compileOp: () => () => -1,
};

function xorshift(seed: number): () => number {
  let x = seed | 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** Translates one TB whose first instruction comes from `first` (halfwords or words); the rest is NOPs. */
function fuzzOne(pc: number, execState: number, first: Map<number, number>): string {
  const ir = translateBlock(pc, execState, {
    fetch32: (a) => first.get(a) ?? 0xe1a00000,
    fetch16: (a) => first.get(a) ?? 0xbf00,
  }, 2);
  const ops = removeDeadCode(optimize(ir.builder.ops), ir.builder.tempCount, ir.builder.globals);
  const src = emitTb(ops, { pc, mnemonics: ir.mnemonics }, ir.builder.globals, lowering, true);
  // Syntax check only: compiling is what the backend does at run time.
  new Function(...CORE_BINDINGS, `return function(b, n){${src}}`);
  const cold = removeDeadCode(ir.builder.ops, ir.builder.tempCount, ir.builder.globals);
  if (buildInterpTb(cold, interp, null) === null) throw new Error('too many temps for the interpreter');
  // The cold tier's rewrite (of a TB that runs often) takes every op shape the front end makes.
  prepareInterpOps(cold, ir.builder.globals.count);
  return ir.mnemonics[0]!;
}

function fuzz(t: Test, what: string, n: number, next: (i: number) => { execState: number; code: Map<number, number>; word: number }): void {
  let translated = 0;
  let undef = 0;
  for (let i = 0; i < n; i++) {
    const { execState, code, word } = next(i);
    try {
      if (fuzzOne(0x10000, execState, code) === 'undef') undef++;
      else translated++;
    } catch (e) {
      t.fail(`${what} 0x${word.toString(16).padStart(8, '0')} (state ${execState}): ${(e as Error).message}`);
      return;
    }
  }
  t.ok(translated > n / 4, `${what}: most decode (${translated} translated, ${undef} UNDEF)`);
  t.ok(undef > 0, `${what}: some are UNDEF`);
}

/** The three fuzz runs, from fixed seeds (the same words every time). */
export function fuzzDecoder(t: Test, counts: FuzzCounts): void {
  t.test(`random words translate, optimise, emit and compile, or are UNDEF (${counts.a32Words} A32, every T16, ${counts.t32Words} T32)`, async (t) => {
    const rnd = xorshift(0x2545f491);
    fuzz(t, 'A32 word', counts.a32Words, () => {
      const word = rnd();
      return { execState: 0, code: new Map([[0x10000, word]]), word };
    });
    // Every halfword, outside an IT block and as the second instruction of an
    // ITTE EQ block (state 0x0a << 1: condition EQ, two more instructions).
    fuzz(t, 'T16 halfword', 0x10000, (hw) => ({ execState: hw & 1 ? 1 | (0x0a << 1) : 1, code: new Map([[0x10000, hw]]), word: hw }));
    fuzz(t, 'T32 word', counts.t32Words, () => {
      const word = ((0xe8000000 + (rnd() % 0x18000000)) >>> 0);
      const it = rnd() & 1 ? 0 : 0x4c; // condition MI, mask 1100: two instructions
      return { execState: 1 | (it << 1), code: new Map([[0x10000, word >>> 16], [0x10002, word & 0xffff]]), word };
    });
  });
}
