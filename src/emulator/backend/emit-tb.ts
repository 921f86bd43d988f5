// Emits the JavaScript source of one TB from its optimised ops (QEMU's
// tcg_gen_code + a host backend). The result is the body of a function that
// returns the exit code: 0/1 = goto_tb slot, 2 = indirect jump, else an ExitReason.
//
// Guest globals live in locals, loaded on entry and written back at each exit.
// Forward branches become `break` out of labelled blocks: every label's block
// opens at the top of the body, the label set last outermost, and closes where
// the label is set. Any forward branch then breaks out of a block enclosing it.

import type { AtomicLowering } from '../atomics/strategy.js';
import { ExitReason } from '../ir/exit-reason.js';
import type { Cond } from '../ir/cond.js';
import type { IrGlobals } from '../ir/globals.js';
import { OPCODES, type Op } from '../ir/opcodes.js';
import { condExpr, emitAlu } from './emit-alu.js';
import { emitLoad, emitStore } from './emit-memory.js';
import { emitVfp } from './emit-vfp.js';
import { hexLit, lit, tempName as n } from './js-names.js';

/** Iterations a self-looping TB runs before it returns to the cpu loop anyway. */
export const MAX_LOOP_ITERS = 4096;

/** True if the TB's code loops on itself (see emitTb). */
export function isSelfLooping(ops: readonly Op[], pc: number): boolean {
  return ops.some((op) => op.opc === 'goto_tb' && (op.args[1]! | 0) === (pc | 0));
}

export interface TbSourceInfo {
  readonly pc: number;
  /** Per guest instruction: mnemonic family (decoder row name, from our own table). */
  readonly mnemonics: readonly string[];
}

/** Decoder row names are identifiers from our own table; checked anyway. */
function safeComment(s: string): string {
  return /^[A-Za-z0-9_.]+$/.test(s) ? s : '?';
}

export function emitTb(ops: readonly Op[], info: TbSourceInfo, globals: IrGlobals, atomics: AtomicLowering, withComments: boolean): string {
  const nGlobals = globals.count;
  const used = new Set<number>();
  const written = new Set<number>();
  for (const op of ops) {
    const d = OPCODES[op.opc];
    for (let i = 0; i < d.outs + d.ins; i++) used.add(op.args[i]!);
    for (let i = 0; i < d.outs; i++) written.add(op.args[i]!);
  }
  const globalsRead = [...used].filter((t) => t < nGlobals).sort((a, b) => a - b);
  const temps = [...used].filter((t) => t >= nGlobals).sort((a, b) => a - b);
  const writeBack = [...written].filter((t) => t < nGlobals).sort((a, b) => a - b)
    .map((t) => `R[${t}] = ${n(t)};`).join(' ');
  // A TB that jumps to itself loops inside its function (bounded, and only
  // while no request is pending), saving a dispatch per iteration.
  const selfLoop = isSelfLooping(ops, info.pc);
  const iters = selfLoop ? `R[${globals.loopItersSlot}] = it; ` : '';
  const exit = (pcExpr: string, code: number): string => `{ ${writeBack} ${iters}R[${globals.pcSlot}] = ${pcExpr}; return ${code}; }`;

  // Labels in the order they are set; only those some branch targets get a block.
  const targeted = new Set<number>();
  const setOrder: number[] = [];
  for (const op of ops) {
    if (op.opc === 'brcond') targeted.add(op.args[3]!);
    if (op.opc === 'set_label') setOrder.push(op.args[0]!);
  }
  const blocks = setOrder.filter((l) => targeted.has(l));

  const out: string[] = [];
  if (withComments && globalsRead.length) {
    out.push(`// globals: ${globalsRead.map((t) => `${n(t)}=${safeComment(globals.names[t] ?? '?')}`).join(' ')}`);
  }
  if (globalsRead.length) out.push(`let ${globalsRead.map((t) => `${n(t)} = R[${t}]`).join(', ')};`);
  if (temps.length) out.push(`let ${temps.map((t) => `${n(t)} = 0`).join(', ')};`);
  out.push('let ti = 0;');
  // A fault (GuestFault from a memory helper) leaves through the catch with
  // the registers as the faulting instruction found them, so that its
  // signal handler sees them (QEMU restores state at a fault too).
  // Multi-block regions must keep this: every exception out of translated
  // code writes the guest globals back first.
  out.push('try {');
  if (selfLoop) out.push('let it = 0;\nloop: for (;;) {');
  if (blocks.length) out.push(blocks.slice().reverse().map((l) => `L${l}: {`).join(' '));

  let insn = 0;
  for (const op of ops) {
    const a = op.args;
    const alu = emitAlu(op);
    if (alu !== null) {
      out.push(alu);
      continue;
    }
    switch (op.opc) {
      case 'insn_start':
        if (withComments) {
          out.push(`// ${hexLit(a[0]!)}: ${hexLit(a[1]!).slice(2)} ${safeComment(info.mnemonics[insn] ?? '?')}`);
        }
        insn++;
        break;
      case 'ld_env': out.push(`${n(a[0]!)} = R[${a[1]!}];`); break;
      case 'st_env': out.push(`R[${a[1]!}] = ${n(a[0]!)};`); break;
      case 'qemu_ld': out.push(emitLoad(n(a[0]!), n(a[1]!), a[2]!, a[3]!)); break;
      case 'qemu_st': out.push(emitStore(n(a[0]!), n(a[1]!), a[2]!, a[3]!)); break;
      case 'ld_excl': out.push(atomics.ld_excl(n(a[0]!), n(a[1]!), n(a[2]!), a[3]!, a[4]!)); break;
      case 'st_excl': out.push(atomics.st_excl(n(a[0]!), n(a[1]!), n(a[2]!), n(a[3]!), a[4]!, a[5]!)); break;
      case 'clrex': out.push(atomics.clrex()); break;
      case 'swap': out.push(atomics.swap(n(a[0]!), n(a[1]!), n(a[2]!), a[3]!, a[4]!)); break;
      case 'cmpxchg': out.push(atomics.cmpxchg(n(a[0]!), n(a[1]!), n(a[2]!), n(a[3]!), a[4]!, a[5]!)); break;
      case 'cmpxchg64': out.push(atomics.cmpxchg64(n(a[0]!), n(a[1]!), n(a[2]!), n(a[3]!), a[4]!)); break;
      case 'mb': out.push(atomics.mb(a[0]!)); break;
      case 'vfp': out.push(emitVfp(op.args)); break;
      case 'brcond': out.push(`if (${condExpr(a[2]! as Cond, n(a[0]!), n(a[1]!))}) break L${a[3]!};`); break;
      case 'set_label': if (targeted.has(a[0]!)) out.push(`} // L${a[0]!}`); break;
      case 'goto_tb':
        if (selfLoop && (a[1]! | 0) === (info.pc | 0)) out.push(`if (++it < ${MAX_LOOP_ITERS} && P[PI] === 0) continue loop;`);
        out.push(exit(hexLit(a[1]!) + ' | 0', a[0]!));
        break;
      case 'exit_indirect': out.push(exit(n(a[0]!), ExitReason.INDIRECT)); break;
      case 'exit_special': out.push(exit(lit(a[1]!), a[0]!)); break;
      default:
        throw new Error(`internal: backend has no lowering for op ${op.opc}`);
    }
  }
  if (selfLoop) out.push('} // loop');
  // Every TB ends in an exit; reaching here would be a translator bug.
  out.push(`throw new Error('internal: fell off the end of TB ${hexLit(info.pc)}');`);
  out.push(`} catch (e) { ${writeBack} throw e; }`);
  return out.join('\n');
}
