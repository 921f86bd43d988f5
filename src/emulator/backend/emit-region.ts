// Emits one JavaScript function for a region: one or more TBs (a loop, a
// function body) whose guest globals stay in locals across blocks (QEMU's
// tcg_gen_code, with a multi-block unit as the hot tier of v86 and qemu-wasm).
//
//   function (b, n)   b: index of the entry block, n: back-edge budget
//     let <globals used> = R[g]; let <temps>; ...
//     main: for (;;) { <structured blocks: loops, labelled blocks, dispatchers> }
//     <write back the globals written>; R[pc] = npc; return code;
//
// Control flow is structured (region-structure.ts): a guest loop is a host
// loop, a forward jump a `break`. Every back-edge (a `continue` to a loop
// head, or a jump through the dispatcher) polls: the budget (a local) and
// one load of the vCPU's pending-request word, which covers TLB flushes,
// stop-the-world, signals and code invalidation (REQ_CODE, set in every
// vCPU's word when a code page is invalidated: exec/vcpu-table.ts); it
// leaves when either says so. No cycle inside the function avoids a poll,
// so requests and code changes are seen after a bounded number of blocks.
// (With the measurement switch MTTCG_NO_PENDING_POLL the load is of the
// code epoch instead, as a translator without requests would need.)
// An indirect jump compares its target with the blocks it
// was seen to reach and with the region's entries, and leaves if neither.
// Every exit sets npc and code and leaves through the one write-back tail.
// Before a helper that may fault (a load or store's slow path, an atomic op's helper),
// the globals are written back to env, so that a fault and its signal
// handler see the registers as the faulting instruction found them.
// A strategy whose flagged stores run under one announcement has it
// withdrawn there too, and before every exit and atomic op of a block
// (store-announcement.ts); one that opts in keeps it across the region's
// forward edges (withdrawn before back-edges and exits), and may have its
// STREX start a run.
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
import { heads, regionEntries, startsWithDispatch, structureRegion, type Structure } from './region-structure.js';
import { PENDING_POLL } from '../shared/signal-cost-switches.js';
import {
  acrossForwardEdges, ANNOUNCED, announcesRuns, keepsAnnouncement, strexStartsRuns, withdrawExpr,
} from './store-announcement.js';

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
  /** Blocks of this region its indirect jump was seen to reach. */
  readonly indirectTargets: readonly number[];
}

export interface RegionCode {
  /** Body of `function (b, n)`. */
  readonly source: string;
  /** The blocks the function may be entered at (b); the cpu loop enters only there. */
  readonly entries: readonly number[];
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
  /** Blocks that must be entries besides the head (e.g. where a call to code outside returns). */
  readonly extraEntries?: readonly number[];
  readonly withComments: boolean;
}

/** Decoder row names are identifiers from our own table; checked anyway. */
function safeComment(s: string): string {
  return /^[A-Za-z0-9_.]+$/.test(s) ? s : '?';
}

/** A place a jump can go to without the dispatcher: the element after a block, or a loop's head. */
interface Frame {
  readonly label: string;
  /** 'break' to the element after it, 'continue' to its head. */
  readonly how: 'break' | 'continue';
  readonly targets: ReadonlySet<number>;
  /** The targeted element starts with a dispatcher: `b` must name the block. */
  readonly needsB: boolean;
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

  const succ = blocks.map((blk) => [...new Set([...blk.targets.filter((t): t is number => t !== undefined), ...blk.indirectTargets])]);
  const entries = regionEntries(succ, [0, ...(o.extraEntries ?? [])]);
  const entrySet = new Set(entries);
  const structure = structureRegion(succ, entries);

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
  // One load per back-edge: the pending word (or, switched off for a measurement, the code epoch).
  // `| 0` keeps the budget and the instruction count int32: `--n` and `ic +=` are checked (deoptimising) additions.
  const budget = '(n = (n - 1) | 0) < 0';
  const poll = PENDING_POLL ? `${budget} || P[PI] !== 0` : `${budget} || H[${o.epochIndex}] !== e0`;

  // A run of flagged stores keeps its announcement up until something may block or leave (store-announcement.ts).
  const flagged = o.atomics.inlineFlaggedStore;
  const stores = blocks.some((blk) => blk.ops.some((op) => op.opc === 'qemu_st'));
  const withdraw = stores && announcesRuns(flagged) ? withdrawExpr(flagged) : '';
  // Before a helper that may fault: env exact (and the instructions counted so far); after a store that may announce, the announcement withdrawn first.
  const syncEnv = [...globalsWritten.map((t) => `R[${t}] = ${n(t)}`), 'X[0] += ic', 'ic = 0'].join(', ');
  const syncAnnounced = withdraw ? `${withdraw}, ${syncEnv}` : syncEnv;
  // A STREX may start a run only where the region keeps runs (it sets ANNOUNCED).
  const strexRuns = withdraw !== '' && strexStartsRuns(flagged);
  const out: string[] = [];
  const frames: Frame[] = [];
  let labels = 0;

  // With the announcement kept across forward edges, a goto_tb withdraws it only on a back-edge or an exit.
  const keepAcross = withdraw !== '' && acrossForwardEdges(flagged);
  /**
   * The statement that jumps to block `to`; `away` leaves the region for it (when a poll says so, or no structure
   * reaches it). `before` (a statement, or '') runs first on every path but a forward one (a `break`).
   */
  const jump = (to: number, away: string, before = ''): string => {
    for (let i = frames.length - 1; i >= 0; i--) {
      const f = frames[i]!;
      if (!f.targets.has(to)) continue;
      const setB = f.needsB ? `b = ${to}; ` : '';
      if (f.how === 'break') return `{ ${setB}break ${f.label}; }`;
      return `{ ${before}if (${poll}) ${away} ${setB}continue ${f.label}; }`;
    }
    if (entrySet.has(to)) return `{ ${before}if (${poll}) ${away} b = ${to}; continue main; }`;
    return before ? `{ ${before}${away} }` : away;
  };

  const emitBlock = (index: number): void => {
    const blk = blocks[index]!;
    out.push(`// block ${index}`);
    out.push(`ic = (ic + ${blk.nInsns}) | 0;`);
    // Labels in the order they are set; only those some branch targets get a block.
    const targeted = new Set<number>();
    const setOrder: number[] = [];
    for (const op of blk.ops) {
      if (op.opc === 'brcond') targeted.add(op.args[3]!);
      if (op.opc === 'set_label') setOrder.push(op.args[0]!);
    }
    const inner = setOrder.filter((l) => targeted.has(l));
    if (inner.length) out.push(inner.slice().reverse().map((l) => `L${l}: {`).join(' '));
    let insn = 0;
    // Every block starts with no announcement up, unless runs cross forward edges; once a flagged store (or a STREX
    // that starts runs) may have raised one, it is withdrawn before any op that may block or leave.
    let mayAnnounce = keepAcross;
    const cx: JsEmitContext = {
      t: n,
      atomics: o.atomics,
      get sync() {
        return mayAnnounce ? syncAnnounced : syncEnv;
      },
      announced: strexRuns ? ANNOUNCED : '',
      insnStart: (pc, word) => {
        const mn = blk.mnemonics[insn++] ?? '?';
        return o.withComments ? `// ${hexLit(pc)}: ${hexLit(word).slice(2)} ${safeComment(mn)}` : '';
      },
      branch: (test, label) => `if (${test}) break L${label};`,
      set_label: (label) => (targeted.has(label) ? `} // L${label}` : ''),
      gotoTb: (irSlot, dest) => {
        const k = blk.targets[irSlot];
        const slot = exitSlot(index, irSlot, k !== undefined);
        const away = leave(lit(dest), FIRST_DIRECT_EXIT + slot);
        // Kept across forward edges: withdrawn here only before a back-edge or an exit (before the op otherwise).
        const before = keepAcross && mayAnnounce ? `${withdraw}; ` : '';
        return k === undefined ? (before ? `{ ${before}${away} }` : away) : jump(k, away, before);
      },
      exitIndirect: (pcExpr) => {
        // Known targets and entries with an int32 key; any other target leaves.
        const cases = new Map<number, number>();
        for (const k of [...blk.indirectTargets, ...entries]) {
          const key = blocks[k]!.key;
          if (key === (key | 0) && !cases.has(key)) cases.set(key, k);
        }
        const away = `{ code = ${ExitReason.INDIRECT}; break main; }`;
        if (!cases.size) return `{ npc = ${pcExpr}; ${away} }`;
        const arms = [...cases].map(([key, k]) => `case ${lit(key)}: ${jump(k, away)}`).join('\n');
        return `{ npc = ${pcExpr};\nswitch (${o.keyOf('npc')}) {\n${arms}\n}\n${away} }`;
      },
      exitSpecial: (reason, pc) => leave(lit(pc), reason),
    };
    for (const op of blk.ops) {
      if (mayAnnounce && !keepsAnnouncement(op.opc) && !(keepAcross && op.opc === 'goto_tb')) out.push(`${withdraw};`);
      const js = OP_LOWERING[op.opc](op.args, cx);
      if (js) out.push(js);
      if (withdraw && (op.opc === 'qemu_st' || (strexRuns && op.opc === 'st_excl'))) mayAnnounce = true;
    }
  };

  const emitList = (list: readonly Structure[]): void => {
    list.forEach((s, i) => {
      const next = list[i + 1];
      // What follows this element: a jump there is a break out of the element's own label.
      const after: Frame | null = next
        ? { label: `E${labels++}`, how: 'break', targets: new Set(heads(next)), needsB: startsWithDispatch(next) }
        : null;
      if (after) {
        out.push(`${after.label}: {`);
        frames.push(after);
      }
      switch (s.kind) {
        case 'bb':
          emitBlock(s.block);
          break;
        case 'dispatch':
          out.push('switch (b) {');
          for (const e of s.entries) out.push(`case ${e}: ${jump(e, `throw new Error('internal: no way to region block ${e}');`)}`);
          out.push("default: throw new Error('internal: no region entry ' + b);\n}");
          break;
        case 'loop': {
          const label = `W${labels++}`;
          out.push(`${label}: for (;;) {`);
          frames.push({ label, how: 'continue', targets: new Set(heads(s)), needsB: startsWithDispatch(s) });
          emitList(s.children);
          frames.pop();
          out.push(`throw new Error('internal: fell through a region loop');\n} // ${label}`);
          break;
        }
        case 'block':
          emitList(s.children);
          break;
      }
      if (after) {
        frames.pop();
        out.push(`} // ${after.label}`);
      }
    });
  };

  if (o.withComments) {
    out.push(`// region of ${blocks.length} block(s): ${blocks.map((b, i) => `${i}=${hexLit(b.pc)}`).join(' ')}; entries ${entries.join(' ')}`);
    if (globalsUsed.length) out.push(`// globals: ${globalsUsed.map((t) => `${n(t)}=${safeComment(o.globals.names[t] ?? '?')}`).join(' ')}`);
  }
  if (globalsUsed.length) out.push(`let ${globalsUsed.map((t) => `${n(t)} = R[${t}]`).join(', ')};`);
  if (temps.length) out.push(`let ${temps.map((t) => `${n(t)} = 0`).join(', ')};`);
  // The arguments arrive tagged: untagged once here, the loops carry them as int32 (V8 kept n tagged across them).
  out.push(`b = b | 0; n = n | 0;\nlet ti = 0, ic = 0, npc = 0, code = 0${withdraw ? `, ${ANNOUNCED} = 0` : ''};${PENDING_POLL ? '' : `\nconst e0 = H[${o.epochIndex}];`}`);
  out.push('main: for (;;) {');
  emitList(structure);
  out.push("throw new Error('internal: fell through a region');\n} // main");
  const writeBack = globalsWritten.map((t) => `R[${t}] = ${n(t)};`).join(' ');
  out.push(`X[0] += ic; ${writeBack}`);
  out.push(`R[${o.globals.pcSlot}] = npc;\nreturn code;`);
  return { source: out.join('\n'), entries, exitSites, internalExit };
}
