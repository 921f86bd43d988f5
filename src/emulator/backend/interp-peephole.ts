// The cold tier's one cheap rewrite of a TB's ops before they become steps
// (backend/interp-tb.ts). The front end's IR is not optimised for the cold
// tier (the constant folder costs more than it saves on code that runs a few
// times), and half of the steps an interpreted TB ran were copies: a value
// computed into a temp and then moved into a guest register
// (`add t, a, b; mov r0, t`), and constants put in a temp for one use
// (`movi t, 4; add r1, r1, t`). One linear pass removes both:
//
//   - retargeting: an op with one output t, immediately followed by
//     `mov g, t` where t is read nowhere else, writes g itself and the mov
//     goes. Nothing can run between the two (no label between adjacent ops),
//     and every retargeted op's step reads all its inputs before it writes
//     its output, so the result is the same even when g is also an input.
//     When t, set only there, is read again later (a result copied into its
//     register and then tested for the flags), those reads read g instead,
//     if nothing up to the last of them may write g (an op with g as an
//     output or env slot, or one that runs other code: atomics, VFP); the
//     last reader itself may. Every path to a read of t passes the copy
//     (branches go forward, and t is set nowhere else);
//   - immediates: a temp set exactly once, by a movi, holds that constant
//     wherever it is read (IR temps are set before they are read on every
//     path), so an ALU op, a brcond or a setcond reading it as its second
//     input (or either input of a commutative ALU op) takes the constant as
//     an immediate (backend/interp-alu.ts), and `mov g, t` becomes
//     `movi g, c`. A movi whose every reader took its value goes.
//
// Only ops with a native step are retargeted (not the strategy's atomic ops,
// whose JavaScript lowering may write its output before it is done).

import type { Op, Opcode } from '../ir/opcodes.js';
import { OPCODES, OPF_PURE } from '../ir/opcodes.js';
import { ALU, type AluOpcode } from './interp-alu.js';

/** Temps that hold a constant (a Map satisfies it; the pass uses its own typed arrays). */
export interface ConstTemps {
  has(temp: number): boolean;
  get(temp: number): number | undefined;
}

export interface InterpOps {
  readonly ops: readonly Op[];
  /** Constants of temps set once by a movi: their readers' steps take them as immediates. */
  readonly consts: ConstTemps;
}

/**
 * Per-temp scratch arrays, reused by every TB a vCPU translates (the pass
 * runs per translated TB, mostly in V8's unoptimised tiers, where Maps and
 * fresh arrays cost): reads and writes of each temp, whether a movi wrote
 * it, and its constant.
 */
class TempScratch implements ConstTemps {
  reads = new Int32Array(256);
  writes = new Int32Array(256);
  movi = new Uint8Array(256);
  value = new Int32Array(256);
  /** Entries the last TB may have set (cleared before the next). */
  private used = 0;

  /** Clears what the last TB set. */
  clear(): void {
    this.reads.fill(0, 0, this.used);
    this.writes.fill(0, 0, this.used);
    this.movi.fill(0, 0, this.used);
    this.used = 0;
  }

  /** Makes room for temp t. */
  note(t: number): void {
    if (t < this.used) return;
    this.used = t + 1;
    if (t < this.reads.length) return;
    const size = Math.max(t + 1, this.reads.length * 2);
    const grow = <A extends Int32Array | Uint8Array>(old: A, next: A): A => { next.set(old); return next; };
    this.reads = grow(this.reads, new Int32Array(size));
    this.writes = grow(this.writes, new Int32Array(size));
    this.movi = grow(this.movi, new Uint8Array(size));
    this.value = grow(this.value, new Int32Array(size));
  }

  /** Set exactly once, by a movi. */
  has(temp: number): boolean {
    return this.movi[temp] === 1 && this.writes[temp] === 1;
  }

  get(temp: number): number | undefined {
    return this.has(temp) ? this.value[temp] : undefined;
  }
}

/** Ops whose step runs code of its own (the strategy's atomics, VFP): they may write any env slot. */
const OPAQUE: ReadonlySet<Opcode> = new Set<Opcode>(['ld_excl', 'st_excl', 'clrex', 'swap', 'cmpxchg', 'cmpxchg64', 'mb', 'vfp']);

/**
 * Whether g still holds what `mov g, t` copied at every one of t's `reads`
 * reads from ops[from] on: no op before the last read writes g.
 */
function copyHolds(ops: readonly Op[], from: number, t: number, g: number, reads: number): boolean {
  let left = reads;
  for (let j = from; j < ops.length; j++) {
    const o = ops[j]!;
    const d = OPCODES[o.opc];
    for (let k = d.outs; k < d.outs + d.ins; k++) if (o.args[k] === t) left--;
    if (left === 0) return true;
    if (OPAQUE.has(o.opc) || (o.opc === 'st_env' && o.args[1] === g)) return false;
    for (let k = 0; k < d.outs; k++) if (o.args[k] === g) return false;
  }
  return false;
}

/** op with its inputs renamed (a temp read as the global it was copied into), or op itself. */
function renamed(op: Op, rename: ReadonlyMap<number, number>): Op {
  const d = OPCODES[op.opc];
  let args: number[] | null = null;
  for (let k = d.outs; k < d.outs + d.ins; k++) {
    const to = rename.get(op.args[k]!);
    if (to !== undefined) (args ??= op.args.slice())[k] = to;
  }
  return args === null ? op : { opc: op.opc, args };
}

/** Ops with one output whose step reads every input before it writes the output. */
function retargetable(opc: Opcode): boolean {
  const d = OPCODES[opc];
  return d.outs === 1 && ((d.flags & OPF_PURE) !== 0 || opc === 'qemu_ld' || opc === 'ld_env');
}

function isAlu(opc: Opcode): opc is AluOpcode {
  return Object.hasOwn(ALU, opc);
}

/**
 * The argument index of the input that op's step takes as an immediate
 * (a temp in consts), or -1: the second input of an ALU op (either, if it
 * commutes), of a brcond or a setcond, and a mov's source.
 */
export function immediateInput(op: Op, consts: ConstTemps): number {
  const opc = op.opc;
  const a = op.args;
  if (isAlu(opc)) {
    const forms = ALU[opc];
    if (forms.imm === undefined) return -1;
    if (consts.has(a[2]!)) return 2;
    return forms.commutes === true && consts.has(a[1]!) ? 1 : -1;
  }
  if (opc === 'brcond') return consts.has(a[1]!) ? 1 : -1;
  if (opc === 'setcond') return consts.has(a[2]!) ? 2 : -1;
  if (opc === 'mov') return consts.has(a[1]!) ? 1 : -1;
  return -1;
}

/**
 * The TB's ops with copies retargeted and constants made immediates. The
 * returned consts is valid until the next call (it is the pass's scratch).
 */
export function prepareInterpOps(ops: readonly Op[], nGlobals: number, scratch: TempScratch = SCRATCH): InterpOps {
  scratch.clear();
  for (let o = 0; o < ops.length; o++) {
    const op = ops[o]!;
    const d = OPCODES[op.opc];
    for (let i = 0; i < d.outs + d.ins; i++) {
      const t = op.args[i]!;
      if (t < nGlobals) continue;
      scratch.note(t);
      if (i >= d.outs) {
        scratch.reads[t]!++;
      } else {
        scratch.writes[t]!++;
        if (op.opc === 'movi') {
          scratch.movi[t] = 1;
          scratch.value[t] = op.args[1]! | 0;
        }
      }
    }
  }
  // Retarget `op t, ...; mov g, t` (t read only by that mov) into `op g, ...`; reads[t] becomes the
  // number of reads that need t in its frame slot (not as an immediate).
  const retargeted: Op[] = [];
  // Temps whose later reads read the global they were copied into.
  const rename = new Map<number, number>();
  for (let i = 0; i < ops.length; i++) {
    const op = rename.size > 0 ? renamed(ops[i]!, rename) : ops[i]!;
    const next = ops[i + 1];
    const t = op.args[0]!;
    const imm = immediateInput(op, scratch);
    if (imm >= 0) scratch.reads[op.args[imm]!]!--;
    if (next !== undefined && next.opc === 'mov' && next.args[1] === t && next.args[0]! < nGlobals
      && t >= nGlobals && retargetable(op.opc)) {
      const g = next.args[0]!;
      const reads = scratch.reads[t]!;
      // A constant's other readers take it as an immediate instead (below).
      const readAgain = reads > 1 && op.opc !== 'movi' && scratch.writes[t] === 1 && copyHolds(ops, i + 2, t, g, reads - 1);
      if (reads === 1 || readAgain) {
        const args = op.args.slice();
        args[0] = g;
        retargeted.push({ opc: op.opc, args });
        if (readAgain) rename.set(t, g);
        scratch.reads[t] = 0;
        i++;
        continue;
      }
    }
    retargeted.push(op);
  }
  const out: Op[] = [];
  for (let o = 0; o < retargeted.length; o++) {
    const op = retargeted[o]!;
    if (op.opc === 'movi' && scratch.has(op.args[0]!) && scratch.reads[op.args[0]!] === 0) continue;
    if (op.opc === 'mov' && scratch.has(op.args[1]!)) {
      out.push({ opc: 'movi', args: [op.args[0]!, scratch.value[op.args[1]!]!] });
      continue;
    }
    out.push(op);
  }
  return { ops: out, consts: scratch };
}

const SCRATCH = new TempScratch();
