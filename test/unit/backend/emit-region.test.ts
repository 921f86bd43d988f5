// Regions run control flow as their blocks say: random graphs of synthetic
// blocks (each appends its number to r1 and picks a successor from the bits
// of r2) are structured (region-structure.ts), emitted and compiled, then run
// from every entry; the blocks visited, the exit code and the pc left in R15
// must equal a plain walk of the graph. Also: the shapes the structure
// builder gives simple graphs, and the poll that makes a region leave.

import t from 'tap';
import { A32_GLOBALS, Env } from '../../../src/emulator/arm/cpu-state.js';
import { emitRegion, type RegionBlock } from '../../../src/emulator/backend/emit-region.js';
import { FIRST_DIRECT_EXIT } from '../../../src/emulator/backend/exit-codes.js';
import { CORE_BINDINGS } from '../../../src/emulator/backend/js-names.js';
import { structureRegion, type Structure } from '../../../src/emulator/backend/region-structure.js';
import { Cond } from '../../../src/emulator/ir/cond.js';
import { ExitReason } from '../../../src/emulator/ir/exit-reason.js';
import type { Op } from '../../../src/emulator/ir/opcodes.js';
import type { AtomicLowering } from '../../../src/emulator/atomics/strategy.js';

const MAX_STEPS = 7;
const PC0 = 0x10000;
const pcOf = (k: number): number => PC0 + 0x100 * k;

/** A block that counts a step in r0, appends k + 1 to r1 (4 bits each) and jumps on bit 0 of r2. */
function syntheticOps(k: number, dest: readonly [number, number]): Op[] {
  const T = 22;
  const ops: Op[] = [
    { opc: 'insn_start', args: [pcOf(k), 0] },
    { opc: 'movi', args: [T, 16] }, { opc: 'mul', args: [T + 1, 1, T] },
    { opc: 'movi', args: [T + 2, k + 1] }, { opc: 'add', args: [1, T + 1, T + 2] },
    { opc: 'movi', args: [T + 3, 1] }, { opc: 'add', args: [0, 0, T + 3] },
    { opc: 'movi', args: [T + 4, MAX_STEPS] }, { opc: 'brcond', args: [0, T + 4, Cond.GEU, 1] },
    { opc: 'and', args: [T + 5, 2, T + 3] }, { opc: 'shr', args: [2, 2, T + 3] },
    { opc: 'movi', args: [T + 6, 0] }, { opc: 'brcond', args: [T + 5, T + 6, Cond.NE, 0] },
    { opc: 'goto_tb', args: [0, dest[0]] },
    { opc: 'set_label', args: [0] },
    { opc: 'goto_tb', args: [1, dest[1]] },
    { opc: 'set_label', args: [1] },
    { opc: 'exit_special', args: [ExitReason.EXIT_REQUEST, pcOf(k)] },
  ];
  return ops;
}

const noAtomics = {} as AtomicLowering;

function rng(seed: number): () => number {
  let x = seed | 1;
  return () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return x >>> 0;
  };
}

interface Built {
  readonly run: (entry: number, tape: number, budget?: number, pending?: number) => { code: number; r1: number; pc: number };
  readonly entries: readonly number[];
  readonly exitSites: readonly { block: number; slot: number }[];
}

/** Emits and compiles a region of n blocks with successors succ[k] (-1: a pc outside the region). */
function build(succ: readonly (readonly [number, number])[]): Built {
  const blocks: RegionBlock[] = succ.map((s, k) => ({
    pc: pcOf(k), key: pcOf(k), nInsns: 1, mnemonics: ['synthetic'],
    ops: syntheticOps(k, [s[0] < 0 ? 0x90000 + k * 8 : pcOf(s[0]), s[1] < 0 ? 0x90004 + k * 8 : pcOf(s[1])]),
    targets: [s[0] < 0 ? undefined : s[0], s[1] < 0 ? undefined : s[1]],
    indirectTargets: [],
  }));
  const code = emitRegion(blocks, { globals: A32_GLOBALS, atomics: noAtomics, epochIndex: 4, keyOf: (pc) => pc, withComments: true });
  const R = new Int32Array(Env.SIZE);
  const P = new Int32Array(1);
  const H = new Int32Array(8);
  const X = new Float64Array(1);
  const values: Record<string, unknown> = { R, P, PI: 0, H, X };
  const fn = new Function(...CORE_BINDINGS, `return (function (b, n) {\n${code.source}\n});`)(...CORE_BINDINGS.map((k) => values[k])) as
    (b: number, n: number) => number;
  return {
    entries: code.entries,
    exitSites: code.exitSites,
    run: (entry, tape, budget = 1e9, pending = 0) => {
      R.fill(0);
      R[2] = tape;
      P[0] = pending;
      const c = fn(entry, budget);
      return { code: c, r1: R[1]!, pc: R[15]! };
    },
  };
}

/** The plain walk: the same steps in JavaScript. */
function walk(succ: readonly (readonly [number, number])[], entry: number, tape: number): { r1: number; pc: number; outside: boolean } {
  let k = entry;
  let r1 = 0;
  for (let step = 1; ; step++) {
    r1 = (Math.imul(r1, 16) + k + 1) | 0;
    if (step >= MAX_STEPS) return { r1, pc: pcOf(k), outside: false };
    const bit = tape & 1;
    tape >>>= 1;
    const next = succ[k]![bit]!;
    if (next < 0) return { r1, pc: bit ? 0x90004 + k * 8 : 0x90000 + k * 8, outside: true };
    k = next;
  }
}

t.test('random region graphs run as a plain walk of the graph says', async (t) => {
  const rnd = rng(0x5eed);
  let runs = 0;
  for (let g = 0; g < 300; g++) {
    const n = 1 + (rnd() % 7);
    const pick = (): number => (rnd() % 5 === 0 ? -1 : rnd() % n);
    const succ = Array.from({ length: n }, () => [pick(), pick()] as const);
    let built: Built;
    try {
      built = build(succ);
    } catch (e) {
      t.fail(`graph ${JSON.stringify(succ)}: ${(e as Error).message}`);
      return;
    }
    for (const entry of built.entries) {
      for (let tape = 0; tape < 64; tape += 7) {
        const want = walk(succ, entry, tape);
        const got = built.run(entry, tape);
        runs++;
        const wantCode = want.outside ? 'direct exit' : ExitReason.EXIT_REQUEST;
        const gotCode = got.code >= FIRST_DIRECT_EXIT ? 'direct exit' : got.code;
        if (got.r1 !== want.r1 || got.pc !== want.pc || gotCode !== wantCode) {
          t.fail(`graph ${JSON.stringify(succ)} entry ${entry} tape ${tape}: visited ${got.r1.toString(16)} pc ${got.pc.toString(16)} code ${got.code}, ` +
            `walk ${want.r1.toString(16)} pc ${want.pc.toString(16)}`);
          return;
        }
      }
    }
  }
  t.ok(runs > 2000, `${runs} runs agree`);
});

t.test('a pending request leaves at the next back-edge, an exhausted budget too', async (t) => {
  // 0 -> 1 -> 0 ...: a loop; bit 1 of the tape never set.
  const built = build([[1, 1], [0, 0]]);
  const free = built.run(0, 0);
  t.equal(free.code, ExitReason.EXIT_REQUEST, 'without a request the loop runs its 7 steps');
  // Any budget: the pending word is read at every back-edge (one load, no sampling).
  for (const budget of [1e9, 1e9 + 1, 17, 18]) {
    const pending = built.run(0, 0, budget, 1);
    t.ok(pending.code >= FIRST_DIRECT_EXIT, `budget ${budget}: with a request pending it leaves through a direct exit`);
    t.equal(pending.r1, 0x12, `budget ${budget}: ... at the first back-edge: blocks 0 and 1 ran, then it left`);
  }
  // REQ_CODE (16) alone, as a code invalidation sets it: the same.
  t.equal(built.run(0, 0, 1e9, 16).r1, 0x12, 'a code-check request leaves at the first back-edge too');
  const budget = built.run(0, 0, 1);
  t.ok(budget.code >= FIRST_DIRECT_EXIT, 'a budget of one back-edge leaves at the second');
  t.equal(budget.r1, 0x1212, '... after 0, 1, 0, 1');
});

t.test('the structure of simple graphs', async (t) => {
  const shape = (s: Structure): string => {
    switch (s.kind) {
      case 'bb': return `${s.block}`;
      case 'dispatch': return `D(${s.entries.join(',')})`;
      case 'loop': return `L[${s.children.map(shape).join(' ')}]`;
      case 'block': return `B[${s.children.map(shape).join(' ')}]`;
    }
  };
  const of = (succ: number[][], entries: number[]): string => structureRegion(succ, entries).map(shape).join(' ');
  t.equal(of([[0]], [0]), 'B[D(0)] L[0]', 'a self-loop is a loop');
  // (the loop 1 sits in a block because it leaves forward, to 2)
  t.equal(of([[1], [1, 2], [0]], [0]), 'B[D(0)] L[0 B[L[1]] 2]', 'a loop inside a loop nests');
  t.equal(of([[1, 2], [3], [3], []], [0]), 'B[D(0)] B[B[0 2] 1] 3', 'a diamond: blocks to jump over the other arm');
  t.equal(of([[1], [2], [1]], [0, 2]), 'B[B[D(0,2)] 0] L[B[B[D(1,2)] 2] 1]', 'a loop entered twice starts with a dispatcher');
});
