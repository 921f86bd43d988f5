// The Thumb generator of the random differential tester. A case is a run of
// atoms: one register instruction; a memory access with its set-up; an IT
// block of one to four instructions (register instructions, accesses set up
// before the IT, and a forward branch in its last slot); a forward branch
// (B<cond>, B, CBZ/CBNZ, 16- and 32-bit) over a few instructions; TBB/TBH
// into a short run; a BL to a local function returning by BX LR, POP {PC} or
// MOV PC, LR; interworking into ARM code (BLX immediate, or BX through a
// register) and back (BX LR, MOV PC, LR, LDR PC, or BX to the return | 1);
// PUSH/POP; and LDREX/STREX pairs. The ELF is hard-float and starts in Thumb.

import type { SeededRandom } from '../seeded-random.js';
import { genA32Alu } from './a32-alu-gen.js';
import { CodeBuffer } from './code-buffer.js';
import { emitMovImm32, t32Mov16 } from './harness-encodings.js';
import type { CaseLayout, RandomGenerator } from './program.js';
import { genT32Alu, lo, reg, rname, w32 } from './t32-alu-gen.js';
import { genExclusivePair, genPushPop, prepareAccess, type T32MemState } from './t32-memory-gen.js';
import { pickWeighted, type Weighted } from './weighted.js';

const CONDS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al'];

/** T32 B.W / BL / BLX offset fields for `offset` (S:I1:I2:imm10:imm11:'0'). */
function branch24(offset: number): { hw1: number; hw2: number } {
  const s = (offset >>> 24) & 1;
  const i1 = (offset >>> 23) & 1;
  const i2 = (offset >>> 22) & 1;
  const j1 = 1 ^ i1 ^ s;
  const j2 = 1 ^ i2 ^ s;
  return { hw1: (s << 10) | ((offset >>> 12) & 0x3ff), hw2: (j1 << 13) | (j2 << 11) | ((offset >>> 1) & 0x7ff) };
}

/** B<cond>.W offset fields (S:J2:J1:imm6:imm11:'0'). */
function branch20(offset: number): { hw1: number; hw2: number } {
  const s = (offset >>> 20) & 1;
  return { hw1: (s << 10) | ((offset >>> 12) & 0x3f), hw2: (((offset >>> 18) & 1) << 13) | (((offset >>> 19) & 1) << 11) | ((offset >>> 1) & 0x7ff) };
}

/** A short straight run of register instructions (a branch's skipped body, a function body). */
function body(s: T32MemState, min = 1, max = 3): void {
  const n = s.rng.between(min, max);
  for (let i = 0; i < n; i++) genT32Alu(s);
}

/**
 * Emits a forward branch placeholder now and returns its patcher (called at
 * the target). Kinds: B.N, B.W (also the only ones allowed as the last
 * instruction of an IT block, `always`), then B<cond>.N, B<cond>.W, CBZ/CBNZ.
 */
function forwardBranch(s: T32MemState, always: boolean): () => void {
  const { rng, buf } = s;
  const at = buf.addr;
  const kind = rng.below(always ? 2 : 5);
  const c = rng.below(14);
  const wide = kind === 1 || kind === 3;
  if (wide) w32(s, 0xf000, 0x9000, 'b (fixup)');
  else buf.t16(0xe000, 'b (fixup)');
  return () => {
    const off = buf.addr - (at + 4);
    switch (kind) {
      case 0: buf.patch(at, 0xe000 | ((off >> 1) & 0x7ff), `b.n 0x${buf.addr.toString(16)}`); break;
      case 1: { const f = branch24(off); buf.patch(at, (((0xf000 | f.hw1) << 16) | 0x9000 | f.hw2) >>> 0, `b.w 0x${buf.addr.toString(16)}`); break; }
      case 2: buf.patch(at, 0xd000 | (c << 8) | ((off >> 1) & 0xff), `b${CONDS[c]}.n 0x${buf.addr.toString(16)}`); break;
      case 3: { const f = branch20(off); buf.patch(at, (((0xf000 | f.hw1 | (c << 6)) << 16) | 0x8000 | f.hw2) >>> 0, `b${CONDS[c]}.w 0x${buf.addr.toString(16)}`); break; }
      default: { // CBZ / CBNZ on a low register
        const r = lo(s);
        const nz = rng.below(2);
        buf.patch(at, 0xb100 | (nz << 11) | ((off >> 6) << 9) | (((off >> 1) & 0x1f) << 3) | r, `${nz ? 'cbnz' : 'cbz'} r${r}, 0x${buf.addr.toString(16)}`);
      }
    }
  };
}

/** IT mask for `n` instructions (1..4): slot i is "then" (mask bit firstcond[0]) or "else"; AL has only "then". */
function itMask(s: T32MemState, firstcond: number, n: number): number {
  let mask = 1 << (4 - n);
  for (let i = 1; i < n; i++) {
    const then = firstcond === 14 || s.rng.below(2) === 0;
    mask |= ((then ? firstcond : firstcond ^ 1) & 1) << (4 - i);
  }
  return mask;
}

function genItBlock(s: T32MemState): void {
  const { rng, buf } = s;
  const n = rng.between(1, 4);
  const firstcond = rng.below(8) === 0 ? 14 : rng.below(14);
  // Up to two accesses, set up before the IT; their registers stay reserved inside the block.
  const accesses: (() => void)[] = [];
  for (let i = 0; i < n && accesses.length < 2; i++) if (rng.below(4) === 0) accesses.push(prepareAccess(s));
  const mask = itMask(s, firstcond, n);
  buf.t16(0xbf00 | (firstcond << 4) | mask, `it ${CONDS[firstcond]} mask=${mask.toString(2).padStart(4, '0')}`);
  const branchLast = rng.below(5) === 0; // an unconditional branch in the last slot is conditional by the IT
  let patch: (() => void) | null = null;
  for (let slot = 0; slot < n; slot++) {
    if (slot === n - 1 && branchLast) patch = forwardBranch(s, true);
    else if (accesses.length && rng.below(2) === 0) accesses.shift()!();
    else genT32Alu(s);
  }
  for (const a of accesses) a(); // accesses not placed inside the block run after it
  s.reserved.clear();
  if (patch) {
    body(s);
    patch();
  }
}

function genBranchOver(s: T32MemState): void {
  const patch = forwardBranch(s, false);
  body(s);
  patch();
}

/** TBB/TBH: an index 0..2 selects how much of a three-instruction run is skipped. */
function genTableBranch(s: T32MemState): void {
  const { rng, buf } = s;
  const half = rng.below(2);
  const rm = lo(s);
  buf.t16(0x2000 | (rm << 8) | rng.below(3), `movs r${rm}, #index`);
  const at = buf.addr;
  w32(s, 0xe8df, 0xf000 | (half << 4) | rm, `${half ? 'tbh' : 'tbb'} [pc, r${rm}${half ? ', lsl #1' : ''}]`);
  const table = buf.addr;
  const slots = half ? 3 : 2;
  for (let i = 0; i < slots; i++) buf.data16(0, '.table');
  const targets: number[] = [];
  for (let i = 0; i < 3; i++) {
    targets.push(buf.addr);
    genT32Alu(s);
  }
  const entries = targets.map((t) => (t - (at + 4)) >> 1);
  if (half) entries.forEach((e, i) => buf.patch(table + 2 * i, e, `.hword ${e}`));
  else {
    buf.patch(table, entries[0]! | (entries[1]! << 8), `.byte ${entries[0]}, ${entries[1]}`);
    buf.patch(table + 2, entries[2]!, `.byte ${entries[2]}, 0`);
  }
}

/** BL to a local function (lr reserved in its body) that returns by BX LR, POP {PC} or MOV PC, LR. */
function genCall(s: T32MemState): void {
  const { rng, buf } = s;
  const at = buf.addr;
  w32(s, 0xf000, 0xd000, 'bl (fixup)');
  const skip = forwardBranch(s, true);
  const fn = buf.addr;
  const ret = rng.below(3);
  if (ret === 1) buf.t16(0xb500, 'push {lr}');
  s.reserved.add(14);
  body(s);
  s.reserved.clear();
  if (ret === 0) buf.t16(0x4770, 'bx lr');
  else if (ret === 1) buf.t16(0xbd00, 'pop {pc}');
  else buf.t16(0x46f7, 'mov pc, lr');
  skip();
  const f = branch24(fn - (at + 4));
  buf.patch(at, (((0xf000 | f.hw1) << 16) | 0xd000 | f.hw2) >>> 0, `bl 0x${fn.toString(16)}`);
}

/** Copies a few random A32 register instructions into the Thumb buffer (4-aligned). */
function armBody(s: T32MemState, layout: CaseLayout, reserved: ReadonlySet<number>): void {
  const arm = new CodeBuffer('a32', s.buf.addr);
  const n = s.rng.between(1, 2);
  for (let i = 0; i < n; i++) genA32Alu({ rng: s.rng, buf: arm, layout, reserved });
  for (const l of arm.listing) s.buf.armWord(parseInt(l.encoding, 16), l.text);
}

/** Into ARM code and back: BLX immediate + a return through LR, or BX through a register both ways. */
function genInterworking(s: T32MemState, layout: CaseLayout): void {
  const { rng, buf } = s;
  if (rng.below(2)) {
    const at = buf.addr;
    w32(s, 0xf000, 0xc000, 'blx (fixup)');
    const skip = forwardBranch(s, true);
    buf.align4();
    const stub = buf.addr;
    const ret = rng.below(3);
    if (ret === 2) buf.armWord(0xe52de004, 'str lr, [sp, #-4]!');
    armBody(s, layout, new Set([14]));
    if (ret === 0) buf.armWord(0xe12fff1e, 'bx lr');
    else if (ret === 1) buf.armWord(0xe1a0f00e, 'mov pc, lr');
    else buf.armWord(0xe49df004, 'ldr pc, [sp], #4');
    skip();
    const f = branch24(stub - ((at + 4) & ~3));
    buf.patch(at, (((0xf000 | f.hw1) << 16) | 0xc000 | f.hw2) >>> 0, `blx 0x${stub.toString(16)}`);
    return;
  }
  const rx = reg(s);
  const there = buf.addr;
  emitMovImm32(buf, rx, 0x00ff00ff); // patched below: movw + movt
  buf.t16(0x4700 | (rx << 3), `bx ${rname(rx)}`);
  buf.align4();
  const stub = buf.addr;
  armBody(s, layout, new Set());
  const ry = 1 + rng.below(12);
  const back = buf.addr;
  buf.armWord(0xe3000000, 'movw (fixup)');
  buf.armWord(0xe3400000, 'movt (fixup)');
  buf.armWord(0xe12fff10 | ry, `bx r${ry}`);
  const after = buf.addr | 1;
  buf.patch(back, (0xe3000000 | ((after & 0xffff) >>> 12 << 16) | (ry << 12) | (after & 0xfff)) >>> 0, `movw r${ry}, #0x${(after & 0xffff).toString(16)}`);
  buf.patch(back + 4, (0xe3400000 | ((after >>> 28) << 16) | (ry << 12) | ((after >>> 16) & 0xfff)) >>> 0, `movt r${ry}, #0x${(after >>> 16).toString(16)}`);
  buf.patch(there, t32Mov16(0xf2400000, rx, stub & 0xffff), `movw ${rname(rx)}, #0x${(stub & 0xffff).toString(16)}`);
  buf.patch(there + 4, t32Mov16(0xf2c00000, rx, stub >>> 16), `movt ${rname(rx)}, #0x${(stub >>> 16).toString(16)}`);
}

function genAccess(s: T32MemState): void {
  prepareAccess(s)();
  s.reserved.clear();
}

export class T32Generator implements RandomGenerator {
  readonly name = 't32';
  readonly isa = 't32' as const;
  readonly hardFloat = true;

  emitSequence(rng: SeededRandom, buf: CodeBuffer, layout: CaseLayout): void {
    const s: T32MemState = { rng, buf, reserved: new Set(), scratch: layout.scratch, spDepth: 0 };
    const atoms: Weighted<() => void>[] = [
      [40, () => genT32Alu(s)], [14, () => genAccess(s)], [10, () => genItBlock(s)], [5, () => genBranchOver(s)],
      [2, () => genTableBranch(s)], [2, () => genCall(s)], [2, () => genInterworking(s, layout)], [2, () => genPushPop(s)],
      [2, () => genExclusivePair(s)],
    ];
    const n = rng.between(4, 16);
    for (let i = 0; i < n; i++) pickWeighted(rng, atoms)();
  }
}
