// Makes the code the cpu loop runs (QEMU's tb_gen_code), in two tiers:
//
//   cold  every TB, on first use: front end -> IR -> liveness -> interpreter
//         steps. No JavaScript is compiled.
//   hot   when a TB has run `hotThreshold` times: the warm TBs around it
//         (exec/region-select.ts) are translated again, optimised and
//         emitted as one JavaScript function (backend/emit-region.ts).
//
// docs/translator.md explains the choice of tiers and thresholds.

import { A32_GLOBALS, Env } from '../arm/cpu-state.js';
import { tbKey } from '../arm/exec-state.js';
import { translateBlock, type CodeFetcher } from '../arm/translator.js';
import { compileRegionPair, compileStep, type TbRuntime } from '../backend/compile-tb.js';
import { OP_LOWERING, type JsEmitContext } from '../backend/emit-ops.js';
import { emitRegion, type RegionBlock } from '../backend/emit-region.js';
import type { Step } from '../backend/interp-ops.js';
import { buildInterpTb, INTERP_INNER, type InterpBuilder } from '../backend/interp-tb.js';
import type { AtomicLowering } from '../atomics/strategy.js';
import { removeDeadCode } from '../ir/liveness.js';
import type { Op } from '../ir/opcodes.js';
import { optimize } from '../ir/optimize.js';
import { GuestFault, hex, SEGV_ACCERR, SEGV_MAPERR, SIGSEGV } from '../softmmu/guest-fault.js';
import type { Mmu } from '../softmmu/mmu.js';
import { PAGE_BITS, PAGE_SIZE, PTE_MAPPED } from '../softmmu/page-bits.js';
import { threadCpu } from '../../host/thread-cpu.js';
import { schedEventsOf } from '../sched/sched-events.js';
import { selectRegionBlocks, type RegionShape } from './region-select.js';
import type { TbCache } from './tb-cache.js';
import { startTraining } from './region-training.js';
import { Region, TranslationBlock } from './translation-block.js';

export interface TbGenOptions {
  /** Guest instructions per TB at most (1 = single-step, as qemu -singlestep). */
  readonly maxInsns: number;
  /** Called with each compiled region's JavaScript (named by its head pc). */
  readonly dumpJs: ((pc: number, source: string) => void) | null;
  readonly shape: RegionShape;
  /** Measure the thread CPU each phase of making a region takes (--stats). */
  readonly timed?: boolean;
  /**
   * Whether a new region's first calls train it (exec/region-training.ts).
   * Not under the deterministic scheduler, whose points the training calls would move.
   */
  readonly train?: () => boolean;
}

/** Thread CPU spent making regions, per phase, in ns (measured only when TbGenOptions.timed). */
export interface RegionCost {
  /** Front end again and the optimiser, for every block. */
  ir: number;
  /** emitRegion: structure and JavaScript source. */
  emit: number;
  /** V8 turning the source into a function (`new Function`, eager compile to bytecode). */
  v8: number;
}

/** The calling thread's CPU clock in ns, or 0 where there is none. */
function cpuNow(): number {
  return threadCpu()?.cpuNs ?? 0;
}

/** One TB's IR and what the cache needs to know about where it came from. */
interface TranslatedTb {
  readonly ops: Op[];
  readonly nInsns: number;
  readonly mnemonics: readonly string[];
  readonly byteLength: number;
  readonly version: number;
  readonly page2: number;
  readonly version2: number;
}

/** The key of the TB an indirect jump reaches, from the pc and Env.EXEC_STATE (arm/exec-state.ts tbKey, as JavaScript). */
function keyOfJs(pcExpr: string): string {
  // Keys of TBs inside an IT block are not int32: 0.5 matches no case.
  return `(R[${Env.EXEC_STATE}] <= 1 ? (${pcExpr} | R[${Env.EXEC_STATE}]) : 0.5)`;
}

/**
 * Characters of JavaScript code (comments aside) a region may have. V8
 * optimises no function of more than 60 KiB of bytecode
 * (--max-optimized-bytecode-size); emitted region code takes about 1.4 bytes
 * of bytecode per character (n-body's inner loop with its caller: 46,420
 * characters, 64,733 bytes), and TurboFan's compile time grows faster than
 * the size (1.3 s for that one, under load); the bound keeps a margin.
 */
export const MAX_REGION_SOURCE = 40_000;

/** A region's size as the bound counts it: its characters without the comments --dump-js adds. */
export function regionCodeChars(source: string): number {
  return source.replace(/\/\/[^\n]*/g, '').length;
}

function noControl(): never {
  throw new Error('internal: a control op reached the interpreter\'s compiled steps');
}

export class TbGen {
  regionsCompiled = 0;
  regionBlocks = 0;
  regionsAbandoned = 0;
  regionsRegrown = 0;
  soloTbs = 0;
  /** Region blocks whose IR was kept from an earlier region (not translated again). */
  regionIrKept = 0;
  readonly regionCost: RegionCost = { ir: 0, emit: 0, v8: 0 };
  private readonly interp: InterpBuilder;
  private readonly compiledSteps = new Map<string, Step>();
  /**
   * Each region block's optimised IR, kept from its first region: a block is
   * in several regions (overlapping ones, a region regrown), and the front
   * end and optimiser are most of what a region costs to make.
   */
  private readonly hotIr = new WeakMap<TranslationBlock, TranslatedTb>();
  private readonly code: CodeFetcher;

  constructor(
    private readonly mmu: Mmu,
    private readonly atomics: AtomicLowering,
    private readonly rt: TbRuntime,
    private readonly cache: TbCache,
    private readonly options: TbGenOptions,
  ) {
    this.interp = {
      rt: rt.steps,
      tempSlots: rt.steps.F.length - rt.envSlots,
      nGlobals: A32_GLOBALS.count,
      pcSlot: A32_GLOBALS.pcSlot,
      compileOp: (op, slotOf) => this.compileOp(op, slotOf),
    };
    this.code = { fetch32: (a) => mmu.fetch(a), fetch16: (a) => mmu.fetch16(a) };
  }

  /**
   * The front end's IR for the TB at pc, without dead code; optimised for
   * the hot tier only (for code that runs a few times, the constant folder
   * costs more than it saves).
   */
  private translateIr(pc: number, execState: number, optimise: boolean): TranslatedTb {
    const page = pc >>> PAGE_BITS;
    // Mark the page before reading its code: a store racing with translation bumps the version we record.
    const version = this.mmu.protectCode(page);
    // A Thumb instruction crossing into the next page makes the TB depend on that page too.
    const crossing = execState & 1 && (pc & 0xfff) === 0xffe && this.mmu.fetch16((pc + 2) | 0) !== null;
    const nextPageVersion = crossing ? this.mmu.protectCode(page + 1) : 0;
    const ir = translateBlock(pc, execState, this.code, this.options.maxInsns);
    // Stores beside these bytes leave the page's translations alone.
    const inPage = pc & (PAGE_SIZE - 1);
    this.mmu.mem.noteCodeBytes(page, inPage, Math.min(inPage + ir.byteLength, PAGE_SIZE));
    if (ir.page2 >= 0) this.mmu.mem.noteCodeBytes(ir.page2, 0, inPage + ir.byteLength - PAGE_SIZE);
    const globals = ir.builder.globals;
    const ops = removeDeadCode(optimise ? optimize(ir.builder.ops) : ir.builder.ops, ir.builder.tempCount, globals);
    return {
      ops, nInsns: ir.nInsns, mnemonics: ir.mnemonics, byteLength: ir.byteLength, version, page2: ir.page2, version2: nextPageVersion,
    };
  }

  /** The cold tier: a new TB for pc in the instruction set state execState, in the cache. */
  genTb(pc: number, execState: number): TranslationBlock {
    if (this.mmu.fetch(pc) === null) throw this.fetchFault(pc);
    const t = this.translateIr(pc, execState, false);
    const code = buildInterpTb(t.ops, this.interp, this.irAgain(pc, execState, t));
    const tb = new TranslationBlock(
      pc, tbKey(pc, execState), execState, pc >>> PAGE_BITS, t.version, t.page2, t.version2, t.nInsns, (pc + t.byteLength) | 0, code,
    );
    tb.schedEvents = schedEventsOf(t.ops);
    this.cache.insert(tb);
    if (code === null) {
      // Too many temps for the interpreter's frame: compile it on its own at once.
      const solo = this.compile([tb], 0);
      if (solo) {
        tb.solo = solo;
        tb.region = solo;
        this.soloTbs++;
      } else {
        tb.valid = false;
      }
    }
    return tb;
  }

  /**
   * The cold tier's rewrite of a TB that runs often translates it again
   * (backend/interp-tb.ts): its IR, or null if its code changed since `first`.
   */
  private irAgain(pc: number, execState: number, first: TranslatedTb): () => readonly Op[] | null {
    // Only numbers are kept: the IR itself is not.
    const { version, nInsns, page2, version2 } = first;
    return () => {
      if (this.mmu.fetch(pc) === null) return null;
      const t = this.translateIr(pc, execState, false);
      return t.version === version && t.nInsns === nInsns && t.page2 === page2 && t.version2 === version2 ? t.ops : null;
    };
  }

  /** SIGSEGV for executing at pc: MAPERR if its page is unmapped, ACCERR if not executable. */
  fetchFault(pc: number): GuestFault {
    const mapped = (this.mmu.mem.pte(pc >>> PAGE_BITS) & PTE_MAPPED) !== 0;
    return new GuestFault(SIGSEGV, pc, pc, 'execute', 'instruction fetch from a non-executable or unmapped page',
      mapped ? SEGV_ACCERR : SEGV_MAPERR);
  }

  /** The TB at the address after `tb`, in the same instruction set (no IT block), if translated. */
  private afterTb(tb: TranslationBlock): TranslationBlock | undefined {
    return this.cache.lookup(tbKey(tb.endPc, tb.execState & 1));
  }

  /**
   * The hot tier: a region headed by `head`, or null if its code changed
   * meanwhile. Regrowing `old` (a region with frequent exits) adds the exits
   * it took as roots.
   */
  genRegion(head: TranslationBlock, old: Region | null = null): Region | null {
    const roots = old ? old.takenExits() : [];
    const blocks = selectRegionBlocks(head, (tb) => this.afterTb(tb), this.options.shape, roots);
    const region = this.compile(blocks, old ? old.generation + 1 : 0);
    if (!region || !this.cache.addRegion(region)) {
      this.regionsAbandoned++;
      return null;
    }
    if (old) this.regionsRegrown++;
    // The cpu loop enters the region at its entries only; other blocks keep their own code.
    for (const i of region.entries) {
      const b = region.blocks[i]!;
      b.region = region;
      b.regionEntry = i;
    }
    // An inner block's interpreted runs so far made this region: when control reaches it from outside
    // (a lost race's retry path coming back into the loop, a poll's exit at a back-edge) it must not be
    // one run short of heading a second region over the same code.
    const entries = new Set(region.entries);
    region.blocks.forEach((b, i) => {
      if (!entries.has(i) && b.region === null) {
        b.heatBase = b.execs;
        // Its interpreted runs from now on are the region's code running in the interpreter (--stats innerInsns).
        if (b.code !== null) b.code.tier = INTERP_INNER;
      }
    });
    return region;
  }

  /** Translates the blocks again, optimised, and compiles them as one region; null if one's code changed. */
  private compile(blocks: readonly TranslationBlock[], generation: number): Region | null {
    const timed = this.options.timed === true;
    const t0 = timed ? cpuNow() : 0;
    const index = new Map(blocks.map((b, i) => [b, i]));
    const inRegion = (t: TranslationBlock | null): t is TranslationBlock => t !== null && t.valid && index.has(t);
    const code: RegionBlock[] = [];
    const extraEntries = this.enteredFromOutside(index);
    for (const tb of blocks) {
      const t = this.hotIrOf(tb);
      if (t === null) return null;
      const targets = tb.links.map((l) => (inRegion(l) ? index.get(l) : undefined));
      const indirectTargets = tb.indirectTargets.filter(inRegion).map((l) => index.get(l)!);
      code.push({ pc: tb.pc, key: tb.key, ops: t.ops, nInsns: t.nInsns, mnemonics: t.mnemonics, targets, indirectTargets });
      // Where a call to code outside the region returns, the cpu loop comes back in.
      const after = this.afterTb(tb);
      if (after && index.has(after) && !tb.links.includes(after) && tb.links.some((l) => l !== null && !inRegion(l))) {
        extraEntries.push(index.get(after)!);
      }
    }
    const t1 = timed ? cpuNow() : 0;
    const emitted = emitRegion(code, {
      globals: A32_GLOBALS, atomics: this.atomics, epochIndex: this.rt.epochIndex, keyOf: keyOfJs, extraEntries,
      withComments: this.options.dumpJs !== null,
    });
    const size = regionCodeChars(emitted.source);
    if (size > MAX_REGION_SOURCE && blocks.length > 1) {
      // Past V8's bound on the bytecode it optimises, the region would run unoptimised: fewer blocks
      // (the closest to the head come first, region-select.ts).
      const fewer = Math.min(blocks.length - 1, Math.floor((blocks.length * MAX_REGION_SOURCE) / size));
      if (timed) {
        // The attempt was paid for too.
        this.regionCost.ir += t1 - t0;
        this.regionCost.emit += cpuNow() - t1;
      }
      return this.compile(blocks.slice(0, Math.max(1, fewer)), generation);
    }
    this.options.dumpJs?.(blocks[0]!.pc, emitted.source);
    const t2 = timed ? cpuNow() : 0;
    const pair = compileRegionPair(this.rt, `region_${hex(blocks[0]!.pc)}`, emitted.source);
    if (timed) {
      this.regionCost.ir += t1 - t0;
      this.regionCost.emit += t2 - t1;
      this.regionCost.v8 += cpuNow() - t2;
    }
    this.regionsCompiled++;
    this.regionBlocks += blocks.length;
    const region = new Region(pair.run, blocks, emitted.entries, emitted.exitSites, emitted.internalExit, generation);
    if (this.options.train?.() === true) startTraining(region, pair.train);
    return region;
  }

  /**
   * Blocks other than the head that an indirect jump from outside the region,
   * or out of a region, was seen to reach (a return into a caller, a jump
   * table's case): they become entries, so that such a jump lands in the
   * region's code rather than in the interpreter, which would run the block
   * and those after it until it met an entry.
   */
  private enteredFromOutside(index: ReadonlyMap<TranslationBlock, number>): number[] {
    const entries = new Set<number>();
    this.cache.forEachIndirectArrival(index, (target, source) => {
      // A region's recorded targets are jumps that left it (an earlier form of this region too: as an entry, the target is a case of every indirect jump's switch here).
      if (source instanceof Region || !index.has(source)) entries.add(index.get(target)!);
    });
    entries.delete(0);
    return [...entries];
  }

  /**
   * The optimised IR of a block, null if its code changed since the TB was
   * made. Kept IR is reused while the TB's page still has the version the TB
   * was made from: the bytes it was translated from are the bytes there now.
   */
  private hotIrOf(tb: TranslationBlock): TranslatedTb | null {
    const kept = this.hotIr.get(tb);
    // Marks the page again, as translating it would (a TB spanning two pages is translated again).
    if (kept !== undefined && tb.page2 < 0 && this.mmu.protectCode(tb.page) === tb.version) {
      this.regionIrKept++;
      return kept;
    }
    const t = this.translateIr(tb.pc, tb.execState, true);
    if (t.version !== tb.version || t.nInsns !== tb.nInsns || t.page2 !== tb.page2 || t.version2 !== tb.version2) return null;
    this.hotIr.set(tb, t);
    return t;
  }

  /** An interpreter step from an op's JavaScript lowering, compiled once per distinct statement. */
  private compileOp(op: Op, slotOf: (temp: number) => number): Step {
    const cx: JsEmitContext = {
      t: (temp) => `F[${slotOf(temp)}]`,
      atomics: this.atomics,
      // The frame is env: nothing to write back.
      sync: '',
      insnStart: noControl, branch: noControl, set_label: noControl, gotoTb: noControl, exitIndirect: noControl, exitSpecial: noControl,
    };
    const statement = OP_LOWERING[op.opc](op.args, cx);
    let step = this.compiledSteps.get(statement);
    if (!step) {
      step = compileStep(this.rt, statement);
      this.compiledSteps.set(statement, step);
    }
    return step;
  }
}
