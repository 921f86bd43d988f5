// Emits one JavaScript function for a region: one or more TBs (a loop, a
// function body) whose guest globals stay in locals across blocks (QEMU's
// tcg_gen_code, with a multi-block unit as the hot tier of v86 and qemu-wasm).
//
//   function (b, n)   b: index of the entry block, n: block-transition budget
//     let <globals used> = R[g]; let <temps>; ...
//     main: for (;;) switch (b) {
//       case k: { <block k> }          one case per block
//     }
//     <write back the globals written>; R[pc] = npc; return code;
//
// A direct jump to a block of the region is `b = k; continue main` after a
// poll: the budget, the vCPU's pending-request word and the code epoch, so
// requests (TLB flush, stop-the-world, signals), code-page invalidation and
// the cpu loop see the vCPU at every block boundary as they do between TBs.
// An indirect jump goes through one shared case that looks its target up
// among the region's blocks (after the same poll) and leaves if it is not one.
// Every other exit sets npc and code and leaves through the one write-back
// tail, so the tail gets type feedback on the first exit (see docs/translator.md).
// Inside a block, forward branches are `break` out of labelled blocks: every
// label's block opens at the top of the block, the label set last outermost,
// and closes where the label is set.

import type { AtomicLowering } from '../atomics/strategy.js';
import { ExitReason } from '../ir/exit-reason.js';
import type { IrGlobals } from '../ir/globals.js';
import { OPCODES, OPF_BB_END, type Op } from '../ir/opcodes.js';
import { OP_LOWERING, type JsEmitContext } from './emit-ops.js';
import { FIRST_DIRECT_EXIT } from './exit-codes.js';
import { hexLit, lit, tempName as n } from './js-names.js';
import { PENDING_POLL } from '../shared/signal-cost-switches.js';

/** The case of the main switch that dispatches an indirect jump's target (npc). */
const INDIRECT_CASE = -1;

export interface RegionBlock {
  readonly pc: number;
  /** The TB's cache key, which an indirect jump's target is compared with (int32 keys only). */
  readonly key: number;
  /** Optimised ops of the TB; the last one ends the TB. */
  readonly ops: readonly Op[];
  readonly nInsns: number;
  /** Per guest instruction: mnemonic family (decoder row name, from our own table), for comments. */
  readonly mnemonics: readonly string[];
  /** Per goto_tb slot: the index of the block of this region it jumps to, if it is one. */
  readonly targets: readonly (number | undefined)[];
}

export interface RegionCode {
  /** Body of `function (b, n)`. */
  readonly source: string;
  /** Per direct exit slot: the block and goto_tb slot it stands for. */
  readonly exitSites: readonly { readonly block: number; readonly slot: number }[];
  /** Per direct exit slot: true if it jumps to a block of the region (leaving through it is a poll). */
  readonly internalExit: readonly boolean[];
}

export interface RegionEmitOptions {
  readonly globals: IrGlobals;
  readonly atomics: AtomicLowering;
  /** Index of the code epoch in the H binding (the shared memory header). */
  readonly epochIndex: number;
  /**
   * The JavaScript expression of the TB key an indirect jump to `pcExpr`
   * reaches (the front end's key: pc plus instruction set state, read from R).
   */
  readonly keyOf: (pcExpr: string) => string;
  readonly withComments: boolean;
}

/** Decoder row names are identifiers from our own table; checked anyway. */
function safeComment(s: string): string {
  return /^[A-Za-z0-9_.]+$/.test(s) ? s : '?';
}

export function emitRegion(blocks: readonly RegionBlock[], o: RegionEmitOptions): RegionCode {
  const nGlobals = o.globals.count;
  const used = new Set<number>();
  const written = new Set<number>();
  for (const blk of blocks) {
    const last = blk.ops[blk.ops.length - 1];
    if (!last || !(OPCODES[last.opc].flags & OPF_BB_END)) throw new Error(`internal: TB ${hexLit(blk.pc)} does not end in an exit`);
    for (const op of blk.ops) {
      const d = OPCODES[op.opc];
      for (let i = 0; i < d.outs + d.ins; i++) used.add(op.args[i]!);
      for (let i = 0; i < d.outs; i++) written.add(op.args[i]!);
    }
  }
  const sorted = (s: Set<number>, keep: (t: number) => boolean): number[] => [...s].filter(keep).sort((a, b) => a - b);
  const globalsUsed = sorted(used, (t) => t < nGlobals);
  const temps = sorted(used, (t) => t >= nGlobals);
  const globalsWritten = sorted(written, (t) => t < nGlobals);
  const exitSites: { block: number; slot: number }[] = [];
  const internalExit: boolean[] = [];
  const slotOf = new Map<string, number>();
  const exitSlot = (block: number, slot: number, internal: boolean): number => {
    const key = `${block}:${slot}`;
    let s = slotOf.get(key);
    if (s === undefined) {
      s = exitSites.length;
      exitSites.push({ block, slot });
      internalExit.push(internal);
      slotOf.set(key, s);
    }
    return s;
  };
  const leave = (pcExpr: string, code: number): string => `{ npc = ${pcExpr}; code = ${code}; break main; }`;

  let hasIndirect = false;
  const poll = PENDING_POLL ? `--n < 0 || P[PI] !== 0 || H[${o.epochIndex}] !== e0` : `--n < 0 || H[${o.epochIndex}] !== e0`;
  const out: string[] = [];
  if (o.withComments) {
    out.push(`// region of ${blocks.length} block(s): ${blocks.map((b) => hexLit(b.pc)).join(' ')}`);
    if (globalsUsed.length) out.push(`// globals: ${globalsUsed.map((t) => `${n(t)}=${safeComment(o.globals.names[t] ?? '?')}`).join(' ')}`);
  }
  if (globalsUsed.length) out.push(`let ${globalsUsed.map((t) => `${n(t)} = R[${t}]`).join(', ')};`);
  if (temps.length) out.push(`let ${temps.map((t) => `${n(t)} = 0`).join(', ')};`);
  out.push(`let ti = 0, ic = 0, bc = 0, npc = 0, code = 0;\nconst e0 = H[${o.epochIndex}];`);
  out.push('try {\nmain: for (;;) {\nswitch (b) {');

  blocks.forEach((blk, index) => {
    out.push(`case ${index}: {`);
    out.push(`ic += ${blk.nInsns}; bc++;`);
    // Labels in the order they are set; only those some branch targets get a block.
    const targeted = new Set<number>();
    const setOrder: number[] = [];
    for (const op of blk.ops) {
      if (op.opc === 'brcond') targeted.add(op.args[3]!);
      if (op.opc === 'set_label') setOrder.push(op.args[0]!);
    }
    const labels = setOrder.filter((l) => targeted.has(l));
    if (labels.length) out.push(labels.slice().reverse().map((l) => `L${l}: {`).join(' '));
    let insn = 0;
    const cx: JsEmitContext = {
      t: n,
      atomics: o.atomics,
      insnStart: (pc, word) => {
        const mn = blk.mnemonics[insn++] ?? '?';
        return o.withComments ? `// ${hexLit(pc)}: ${hexLit(word).slice(2)} ${safeComment(mn)}` : '';
      },
      branch: (test, label) => `if (${test}) break L${label};`,
      set_label: (label) => (targeted.has(label) ? `} // L${label}` : ''),
      gotoTb: (irSlot, dest) => {
        const k = blk.targets[irSlot];
        const slot = exitSlot(index, irSlot, k !== undefined);
        if (k === undefined) return leave(lit(dest), FIRST_DIRECT_EXIT + slot);
        return `{ if (${poll}) ${leave(lit(dest), FIRST_DIRECT_EXIT + slot)} b = ${k}; continue main; }`;
      },
      exitIndirect: (pcExpr) => {
        hasIndirect = true;
        return `{ npc = ${pcExpr}; b = ${INDIRECT_CASE}; continue main; }`;
      },
      exitSpecial: (reason, pc) => leave(lit(pc), reason),
    };
    for (const op of blk.ops) {
      const js = OP_LOWERING[op.opc](op.args, cx);
      if (js) out.push(js);
    }
    out.push(`} // case ${index}`);
  });

  if (hasIndirect) {
    // Indirect jumps (returns, computed branches) to a block of the region stay inside.
    out.push(`case ${INDIRECT_CASE}:\nif (!(${poll})) switch (${o.keyOf('npc')}) {`);
    const cased = new Set<number>();
    blocks.forEach((blk, index) => {
      if (blk.key !== (blk.key | 0) || cased.has(blk.key)) return;
      cased.add(blk.key);
      out.push(`case ${lit(blk.key)}: b = ${index}; continue main;`);
    });
    out.push(`}\ncode = ${ExitReason.INDIRECT}; break main;`);
  }
  const writeBack = globalsWritten.map((t) => `R[${t}] = ${n(t)};`).join(' ');
  out.push("default: throw new Error('internal: no region block ' + b);\n}\n} // main");
  // A fault or a host exception inside the region leaves the guest registers as they were at that point.
  out.push(`} catch (e) { X[0] += ic; X[1] += bc; ${writeBack} throw e; }`);
  out.push(`X[0] += ic; X[1] += bc; ${writeBack}`);
  out.push(`R[${o.globals.pcSlot}] = npc;\nreturn code;`);
  return { source: out.join('\n'), exitSites, internalExit };
}
