// The A32 generator of the random differential tester: a case is a run of
// random "atoms" (one instruction, or a short group such as a base-register
// set-up and its load), now and then a forward branch over the next few atoms:
// B/BL with a random condition, or BX/BLX through a register set to the
// target. The sequence always falls through to its end.

import type { SeededRandom } from '../seeded-random.js';
import { cond, emit, genA32Alu, reg, rn, type A32State } from './a32-alu-gen.js';
import { genA32Memory } from './a32-memory-gen.js';
import type { CodeBuffer } from './code-buffer.js';
import { emitMovImm32 } from './harness-encodings.js';
import type { CaseLayout, RandomGenerator } from './program.js';

/** A forward reference patched when its target atom is reached. */
interface Fixup {
  readonly atAtom: number;
  readonly resolve: (target: number) => void;
}

export interface SequenceShape {
  /** Atoms per case, inclusive range. */
  readonly minAtoms: number;
  readonly maxAtoms: number;
  /** Percent of atoms that are memory accesses, and branches. */
  readonly memoryPercent: number;
  readonly branchPercent: number;
}

export const DEFAULT_SHAPE: SequenceShape = { minAtoms: 4, maxAtoms: 16, memoryPercent: 25, branchPercent: 6 };

function genBranch(s: A32State, atom: number, atoms: number, fixups: Fixup[]): void {
  const skip = s.rng.between(1, 3);
  const atAtom = Math.min(atom + 1 + skip, atoms);
  const buf = s.buf;
  if (s.rng.below(3) !== 0) {
    const c = cond(s);
    const link = s.rng.below(4) === 0 ? 1 : 0;
    const at = buf.addr;
    emit(s, c, 0x0a000000, 'b (fixup)');
    fixups.push({
      atAtom,
      resolve: (target) => {
        const imm24 = ((target - (at + 8)) >> 2) & 0xffffff;
        buf.patch(at, ((c << 28) | 0x0a000000 | (link << 24) | imm24) >>> 0, `b${link ? 'l' : ''}${['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', ''][c]} 0x${target.toString(16)}`);
      },
    });
    return;
  }
  // BX / BLX Rm with Rm = the target (ARM state: bit 0 clear).
  const rm = reg(s);
  const link = s.rng.below(2);
  const at = buf.addr;
  emitMovImm32(buf, rm, 0x00ff00ff); // movw + movt, patched below
  emit(s, cond(s), (0x012fff10 | (link << 5) | rm) >>> 0, `${link ? 'blx' : 'bx'} ${rn(rm)}`);
  fixups.push({
    atAtom,
    resolve: (target) => {
      buf.patch(at, (0xe3000000 | ((target & 0xffff) >>> 12 << 16) | (rm << 12) | (target & 0xfff)) >>> 0, `movw ${rn(rm)}, #0x${(target & 0xffff).toString(16)}`);
      buf.patch(at + 4, (0xe3400000 | ((target >>> 28) << 16) | (rm << 12) | ((target >>> 16) & 0xfff)) >>> 0, `movt ${rn(rm)}, #0x${(target >>> 16).toString(16)}`);
    },
  });
}

/** Runs `atoms` atoms, resolving forward references as their targets are reached. */
export function emitAtoms(rng: SeededRandom, shape: SequenceShape, emitAtom: (atom: number, atoms: number, fixups: Fixup[]) => void, addr: () => number): void {
  const atoms = rng.between(shape.minAtoms, shape.maxAtoms);
  const fixups: Fixup[] = [];
  const resolveAt = (atom: number): void => {
    for (let i = fixups.length - 1; i >= 0; i--) {
      if (fixups[i]!.atAtom <= atom) {
        fixups[i]!.resolve(addr());
        fixups.splice(i, 1);
      }
    }
  };
  for (let atom = 0; atom < atoms; atom++) {
    resolveAt(atom);
    emitAtom(atom, atoms, fixups);
  }
  resolveAt(atoms);
}

export type { Fixup };

export class A32Generator implements RandomGenerator {
  readonly name = 'a32';
  readonly isa = 'a32' as const;
  readonly hardFloat = false;

  constructor(private readonly shape: SequenceShape = DEFAULT_SHAPE) {}

  emitSequence(rng: SeededRandom, buf: CodeBuffer, layout: CaseLayout): void {
    const s: A32State = { rng, buf, layout };
    emitAtoms(rng, this.shape, (atom, atoms, fixups) => {
      const roll = rng.below(100);
      if (roll < this.shape.branchPercent) genBranch(s, atom, atoms, fixups);
      else if (roll < this.shape.branchPercent + this.shape.memoryPercent) genA32Memory(s);
      else genA32Alu(s);
    }, () => buf.addr);
  }
}
