// Runs of flagged plain stores under one announcement (the lowering's
// InlineFlaggedStore with `runs`). The first store of a guest block to a
// frame flagged TLB_EXCL makes the strategy's check (`begin`: announce the
// frame in the vCPU's word, then read whatever a LDREX counts); the local
// `xf` then holds that frame + 1, and later stores of the block to the same
// frame store at once. The announcement is withdrawn (the word cleared, xf
// 0) before anything that may block, wait for another vCPU, call out or
// leave the block: on every helper's slow path (it is the first part of
// `sync`, evaluated before any helper that may fault), before every op
// outside KEEPS (atomics, VFP helpers) and before every exit of the block
// (goto_tb, exit_indirect, exit_special: region back-edges, polls and
// returns to the cpu loop are exits). So every block starts with xf 0, and
// a LDREX that finds the word up waits at most for the rest of one
// straight-line block, which never waits for anyone. Why one check covers
// the run: docs/strategy-tlbexcl.md ("Runs of stores under one announcement").
// Two extensions a strategy opts into (aie and tlbexcl do):
// `acrossForwardEdges` keeps the announcement up across a jump to a later
// block of the region (a `break`: the region's forward edges form no cycle,
// and every back-edge and exit withdraws), so a LDREX that finds it up
// waits at most for one forward path through the region; `strexStartsRuns`
// lets a successful STREX start the run (its lowering sets xf), so the
// critical section's first store makes no check of its own. A strategy may
// key its runs by something finer than the frame (`runKey`: aie's version
// monitor keys them by chunk).

import type { InlineFlaggedStore } from '../atomics/strategy.js';
import { OPCODES, OPF_PURE, type Opcode } from '../ir/opcodes.js';
import { PAGE_BITS } from '../softmmu/page-bits.js';

/** The region local holding the key of the run this vCPU's announcement covers (its frame + 1, or the strategy's runKey), or 0. */
export const ANNOUNCED = 'xf';

/**
 * Ops an announcement stays up across besides the pure ones: none of them
 * blocks or leaves the block (a load's or store's slow path withdraws first
 * through `sync`; a barrier's lowering never blocks, which `runs` requires).
 */
const KEEPS: ReadonlySet<Opcode> = new Set<Opcode>(['ld_env', 'st_env', 'qemu_ld', 'qemu_st', 'mb', 'brcond', 'set_label', 'insn_start']);

/** Whether op `opc` may run while an announcement is up (otherwise it is withdrawn before it). */
export function keepsAnnouncement(opc: Opcode): boolean {
  return (OPCODES[opc].flags & OPF_PURE) !== 0 || KEEPS.has(opc);
}

/** Whether `f` keeps its announcement across a run (the region then declares ANNOUNCED). */
export const announcesRuns = (f: InlineFlaggedStore | undefined): f is InlineFlaggedStore => f?.runs === true;

/** Whether `f`'s announcement stays up across a region's forward edges. */
export const acrossForwardEdges = (f: InlineFlaggedStore | undefined): boolean => announcesRuns(f) && f.acrossForwardEdges === true;

/** Whether a STREX under `f` may leave an announcement up (the region then passes it ANNOUNCED). */
export const strexStartsRuns = (f: InlineFlaggedStore | undefined): boolean => announcesRuns(f) && f.strexStartsRuns === true;

/** The expression that withdraws the announcement if it is up. */
export function withdrawExpr(f: InlineFlaggedStore): string {
  // Atomics.store (f.withdraw) after the run's stores: a LDREX that sees the word cleared loads after all of them.
  // The strategy's withdraw first: it may name the announced frame through ANNOUNCED.
  return `(${ANNOUNCED} !== 0 && (${f.withdraw}, ${ANNOUNCED} = 0))`;
}

/** The JS boolean that lets a flagged store with host byte offset `off` run inline. */
export function flaggedStoreTest(f: InlineFlaggedStore, off: string): string {
  if (!f.runs) return f.begin(off);
  const key = f.runKey ? `(${f.runKey(off)})` : `((${off} >>> ${PAGE_BITS}) + 1)`;
  // A run's later store under the announced key (its frame, or the strategy's runKey): no check. Otherwise begin
  // replaces (true) or clears (false) the word.
  return `(${ANNOUNCED} === ${key} || (${ANNOUNCED} = ${f.begin(off)} ? ${key} : 0) !== 0)`;
}

/** Statements right after a flagged store that ran inline. */
export function afterFlaggedStore(f: InlineFlaggedStore): string {
  return f.runs ? '' : ` ${f.withdraw};`;
}
