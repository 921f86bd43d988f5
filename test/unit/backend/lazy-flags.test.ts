// Lazy flags (backend/lazy-flags.ts): a region keeps a flag-setting
// subtraction's operands instead of N, Z, C and V. Real A32 blocks are
// translated, optimised and emitted twice, with the lazy flags and with the
// flags kept as before (globals without nzcv), and run over the same
// registers: env after the exit, and env as a store's slow path sees it
// (a TLB miss), must be the same words.

import t from 'tap';
import { A32_GLOBALS, Env } from '../../../src/emulator/arm/cpu-state.js';
import { translateBlock } from '../../../src/emulator/arm/translator.js';
import type { AtomicLowering } from '../../../src/emulator/atomics/strategy.js';
import { emitTb } from '../../../src/emulator/backend/emit-tb.js';
import { CORE_BINDINGS } from '../../../src/emulator/backend/js-names.js';
import { findSubFlags } from '../../../src/emulator/backend/lazy-flags.js';
import type { IrGlobals } from '../../../src/emulator/ir/globals.js';
import { removeDeadCode } from '../../../src/emulator/ir/liveness.js';
import type { Op } from '../../../src/emulator/ir/opcodes.js';
import { optimize } from '../../../src/emulator/ir/optimize.js';
import { PAGE_SIZE } from '../../../src/emulator/softmmu/page-bits.js';

const PC = 0x10000;
const DATA = 0x20000;
const noAtomics = {} as AtomicLowering;
const EXPLICIT: IrGlobals = { ...A32_GLOBALS, nzcv: undefined };

function opsOf(words: readonly number[]): { ops: Op[]; mnemonics: readonly string[] } {
  const fetch = (a: number): number | null => words[(a - PC) >>> 2] ?? null;
  const ir = translateBlock(PC, 0, { fetch32: fetch, fetch16: () => null }, 512);
  return { ops: removeDeadCode(optimize(ir.builder.ops), ir.builder.tempCount, ir.builder.globals), mnemonics: ir.mnemonics };
}

function source(words: readonly number[], globals: IrGlobals): string {
  const { ops, mnemonics } = opsOf(words);
  return emitTb(ops, { pc: PC, mnemonics }, globals, noAtomics, true);
}

interface Outcome {
  readonly env: number[];
  /** Env as the store's slow path found it (null: no slow path ran). */
  readonly atSlowPath: number[] | null;
}

/** Compiles the block; run(regs, hit) runs it once with r0.. = regs and the data page in the TLB or not. */
function build(words: readonly number[], globals: IrGlobals): (regs: readonly number[], hit: boolean) => Outcome {
  const R = new Int32Array(Env.SIZE);
  const mem = new ArrayBuffer(PAGE_SIZE);
  const TR = new Int32Array(256).fill(-1);
  const TW = new Int32Array(256).fill(-1);
  const TA = new Int32Array(256);
  let atSlowPath: number[] | null = null;
  const values: Record<string, unknown> = {
    R, M32: new Int32Array(mem), TR, TW, TA, P: new Int32Array(1), PI: 0, H: new Int32Array(8), X: new Float64Array(1),
    ld: () => { atSlowPath = [...R]; return 0; },
    st: () => { atSlowPath = [...R]; },
  };
  const fn = new Function(...CORE_BINDINGS, `return (function (b, n) {\n${source(words, globals)}\n});`)(
    ...CORE_BINDINGS.map((k) => values[k])) as (b: number, n: number) => number;
  return (regs, hit) => {
    R.fill(0);
    regs.forEach((v, k) => { R[k] = v; });
    const i = (DATA >>> 12) & 255;
    TR[i] = TW[i] = hit ? DATA : -1;
    TA[i] = -DATA;
    atSlowPath = null;
    fn(0, 1000);
    return { env: [...R.slice(0, A32_GLOBALS.count + 1)], atSlowPath: atSlowPath === null ? null : [...(atSlowPath as number[]).slice(0, A32_GLOBALS.count)] };
  };
}

const EDGES = [0, 1, 2, -1, -2, 0x7fffffff, -0x80000000, 0x7ffffffe, -0x7fffffff, 4, 31, 32, 33];

function rng(seed: number): () => number {
  let x = seed | 1;
  return () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return x | 0;
  };
}

/** Registers r0..r12 from edge values and random words; r2 points at the data page. */
function registerSets(n: number): number[][] {
  const rnd = rng(0x1a2f);
  const sets: number[][] = [];
  for (let k = 0; k < n; k++) {
    const pick = (): number => (k % 3 === 0 ? EDGES[(rnd() >>> 0) % EDGES.length]! : rnd());
    const regs = Array.from({ length: 13 }, pick);
    if (k % 5 === 0) regs[1] = regs[0]!;
    regs[2] = DATA + 64;
    if (k % 7 === 0) regs[3] = regs[2];
    // sp, lr, pc, then NF, ZF, CF, VF from before the block (CMPEQ may not set them).
    regs.push(0, 0, 0, rnd(), rnd(), (rnd() >>> 0) % 2, rnd());
    sets.push(regs);
  }
  return sets;
}

// subs r3, r3, #1; str r12, [r2, #4]; beq .+16
const SUBS_STORE = [0xe2533001, 0xe582c004, 0x0a000002];
// cmp r0, r1; cmpeq r2, r3 (r2 is the data pointer: compared with r3); str r12, [r2, #4]; bne .-16
const CMP_CMPEQ_STORE = [0xe1500001, 0x01520003, 0xe582c004, 0x1afffffa];
// subs r3, r3, #1; str r12, [r2, #4]; movs r0, r1 (N and Z only: C and V stay the subtraction's); beq .+16
const SUBS_STORE_MOVS = [0xe2533001, 0xe582c004, 0xe1b00001, 0x0a000002];

t.test('a flag-setting subtraction is found, and its flags are not computed in the block', async (t) => {
  const nzcv = A32_GLOBALS.nzcv!;
  t.equal(findSubFlags(opsOf(SUBS_STORE).ops, nzcv).length, 1, 'SUBS: one');
  t.equal(findSubFlags(opsOf(CMP_CMPEQ_STORE).ops, nzcv).length, 2, 'CMP and CMPEQ: two');
  const lazy = source(SUBS_STORE, A32_GLOBALS);
  t.match(lazy, /fa = t3; fb = t\d+; fk = 1;/, 'the operands are kept');
  t.notMatch(lazy, /\bt1[6-9] = (?!R\[)/, 'no flag local is assigned (but loaded at entry)');
  t.match(source(SUBS_STORE, EXPLICIT), /\bt18 = /, 'without nzcv the flags are assigned as before');
});

for (const [name, words] of [['SUBS then a store', SUBS_STORE], ['CMP, CMPEQ then a store', CMP_CMPEQ_STORE],
  ['SUBS, a store, then MOVS', SUBS_STORE_MOVS]] as const) {
  t.test(`${name}: env after the exit and at the slow path is the same as with the flags kept`, async (t) => {
    const lazy = build(words, A32_GLOBALS);
    const explicit = build(words, EXPLICIT);
    let compared = 0;
    for (const regs of registerSets(300)) {
      for (const hit of [true, false]) {
        const want = explicit(regs, hit);
        const got = lazy(regs, hit);
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          t.same(got, want, `registers ${JSON.stringify(regs)}, TLB ${hit ? 'hit' : 'miss'}`);
          return;
        }
        compared++;
      }
    }
    t.equal(compared, 600, `${compared} runs: the same env`);
  });
}
