// Decoder and backend fuzzing: random A32 words must either translate to IR
// that the optimiser, liveness pass and JS backend accept and that compiles,
// or decode as UNDEFINED. Never an internal error.

import t from 'tap';
import { translateBlock } from '../../../src/emulator/arm/translator.js';
import { optimize } from '../../../src/emulator/ir/optimize.js';
import { removeDeadCode } from '../../../src/emulator/ir/liveness.js';
import { emitTb } from '../../../src/emulator/backend/emit-tb.js';
import { CORE_BINDINGS } from '../../../src/emulator/backend/js-names.js';
import type { AtomicLowering } from '../../../src/emulator/atomics/strategy.js';

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

function xorshift(seed: number): () => number {
  let x = seed | 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

t.test('random words translate, optimise, emit and compile, or are UNDEF', async (t) => {
  const rnd = xorshift(0x2545f491);
  const N = 200000;
  let translated = 0;
  let undef = 0;
  for (let i = 0; i < N; i++) {
    const word = rnd();
    const pc = 0x10000;
    try {
      const ir = translateBlock(pc, (a) => (a === pc ? word : 0xe1a00000), 2);
      const ops = removeDeadCode(optimize(ir.builder.ops), ir.builder.tempCount, ir.builder.globals);
      const src = emitTb(ops, { pc, mnemonics: ir.mnemonics }, ir.builder.globals, lowering, true);
      // Syntax check only: compiling is what the backend does at run time.
      new Function(...CORE_BINDINGS, `return function(){${src}}`);
      if (ir.mnemonics[0] === 'undef') undef++;
      else translated++;
    } catch (e) {
      t.fail(`word 0x${word.toString(16).padStart(8, '0')}: ${(e as Error).message}`);
      return;
    }
  }
  t.ok(translated > N / 4, `most words decode (${translated} translated, ${undef} UNDEF)`);
  t.ok(undef > 0, 'some words are UNDEF');
});
