// One vCPU: the cpu loop of a guest thread (QEMU's cpu_exec + cpu_loop).
// Finds or translates the TB at R15, runs it (interpreted, or through the
// compiled region it is an entry of), follows chained links, and handles
// exits: syscalls, undefined instructions, faults and requests.

import { Env } from '../arm/cpu-state.js';
import { tbKey } from '../arm/exec-state.js';
import { insnWordAt, type CodeFetcher } from '../arm/translator.js';
import { makeTbRuntime } from '../backend/compile-tb.js';
import { FIRST_DIRECT_EXIT } from '../backend/exit-codes.js';
import { INTERP_TIERS, runInterpTb } from '../backend/interp-tb.js';
import type { AtomicVcpu } from '../atomics/strategy.js';
import { SCHED_QUIET_TBS, type SchedThread } from '../sched/sched-thread.js';
import { ExitReason } from '../ir/exit-reason.js';
import {
  BUS_ADRALN, GuestFault, hex, ILL_ILLOPC, SIGBUS, SIGILL, SIGTRAP, TRAP_BRKPT,
} from '../softmmu/guest-fault.js';
import type { Mmu } from '../softmmu/mmu.js';
import { HDR_CODE_EPOCH } from '../softmmu/guest-memory.js';
import { NEVER_PENDING, PENDING_POLL } from '../shared/signal-cost-switches.js';
import { CodeSnapshots } from './code-snapshots.js';
import { TbCache } from './tb-cache.js';
import { TbGen } from './tb-gen.js';
import { formatCpuState } from './trace-format.js';
import {
  callRegion, callStep, type Step, STEP_BAD_BRANCH, STEP_EXIT, STEP_HEAT, STEP_INTERPRETED, STEP_REGION_EXIT,
  STEP_REGION_LINK, STEP_REGIONS, STEP_REGROW, STEP_TOP,
} from './cpu-loop-steps.js';
import type { Region, TranslationBlock } from './translation-block.js';
import type { VcpuControl } from './vcpu-control.js';
import type { VcpuCounters, VcpuOptions } from './vcpu-options.js';
import { guestInsnsOf, vcpuStats } from './vcpu-stats.js';
import { VcpuTiming } from './vcpu-timing.js';

export type { VcpuCounters, VcpuOptions } from './vcpu-options.js';

/** Back-edges (polls) a region call may take before it returns to the cpu loop. */
export const REGION_BUDGET = 1 << 20;
/**
 * The solo phase's clock (tickEvery): its callback runs at a TB boundary once
 * this many TBs have run in the interpreter, or this many region calls
 * returned, since the last one; a region call there takes at most
 * TICK_REGION_BUDGET back-edges.
 */
const TICK_TBS = 1024;
const TICK_REGION_CALLS = 8;
const TICK_REGION_BUDGET = 1 << 12;
/** Exits from a region to code outside it after which it is formed again with those targets. */
const REGROW_EXITS = 4096;
/** Regrowths of a region at most (each compiles it again). */
const MAX_REGION_GENERATION = 2;
/** Indirect exit targets a region remembers for its regrowth. */
const MAX_INDIRECT_TARGETS = 16;
/** Indirect jump targets an interpreted TB remembers (a return from a function called from a few places). */
const MAX_TB_INDIRECT_TARGETS = 4;

/** The guest did something mttcg does not emulate (reported, not a host crash). */
export class UnsupportedGuestCode extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedGuestCode';
  }
}

export class Vcpu {
  readonly cache = new TbCache();
  readonly counters: VcpuCounters = {
    interpInsns: new Float64Array(INTERP_TIERS), tbExecs: 0, chainedJumps: 0, indirectJumps: 0, syscalls: 0, regionEntries: 0, regionPollExits: 0,
  };
  readonly timing: VcpuTiming;
  readonly gen: TbGen;
  private readonly regionCounters: Float64Array;
  /** Interpreted runs after which a TB heads a region (0: never; not while tracing or single-stepping). */
  private readonly hot: number;
  /** What the last tier loop left to its step: the special exit code, the region, the exit slot. */
  private lastCode = 0;
  private lastRegion: Region | null = null;
  private lastSlot = 0;
  /** The scheduler's point of the TB about to run was taken (other threads ran): do not take it twice. */
  private schedStepped = false;
  /** TBs run since the last scheduling point: a long run without events becomes one too, so that it cannot starve the others. */
  private schedQuiet = 0;
  private readonly code: CodeFetcher;
  private readonly snapshots: CodeSnapshots;
  private seenCodeEpoch: number;
  /** The address space's header (its code epoch word), kept here so that the tier loops read no getter. */
  private codeHeader: Int32Array;
  /** tickEvery's callback, or null (every vCPU but the solo phase's). */
  private onTick: (() => void) | null = null;
  /** counters.tbExecs and counters.regionEntries at which onTick is due (never without one). */
  private tickTbs = Infinity;
  private tickRegions = Infinity;
  /** Back-edges a region call may take (REGION_BUDGET; TICK_REGION_BUDGET with a tick). */
  private regionBudget = REGION_BUDGET;

  constructor(
    readonly env: Int32Array,
    readonly mmu: Mmu,
    readonly atomics: AtomicVcpu,
    readonly control: VcpuControl,
    private readonly onSyscall: () => void,
    private readonly options: VcpuOptions,
  ) {
    this.timing = new VcpuTiming(options.timing);
    const rt = makeTbRuntime(env, mmu, atomics.bindings, PENDING_POLL ? control.pending : NEVER_PENDING,
      PENDING_POLL ? control.pendingIndex : 0, (f) => this.timing.helper(f), atomics.contendedBindings);
    this.regionCounters = rt.regionCounters;
    const hot = options.hotThreshold;
    this.gen = new TbGen(mmu, atomics, rt, this.cache, {
      maxInsns: options.maxInsns,
      dumpJs: options.dumpJs,
      shape: { maxBlocks: 64, maxInsns: 2048, minExecs: Math.max(1, hot >> 3) },
      timed: options.timing,
      train: () => this.sched === null,
    });
    this.seenCodeEpoch = mmu.mem.codeEpoch();
    this.codeHeader = mmu.mem.header;
    this.code = { fetch32: (a) => mmu.fetch(a), fetch16: (a) => mmu.fetch16(a) };
    this.snapshots = new CodeSnapshots(mmu, this.cache);
    // Regions chain blocks without the cpu loop: not while tracing or single-stepping TBs.
    this.hot = options.trace || !options.chaining || options.maxInsns === 1 ? 0 : hot;
  }

  /**
   * The vCPU goes on in another address space (a thread of another process,
   * or execve): translations of pages with the same bytes there are kept
   * (exec/code-snapshots.ts), the others dropped, and code changes are
   * tracked in the new space from now on.
   */
  switchAddressSpace(): void {
    this.snapshots.revalidate();
    this.seenCodeEpoch = this.mmu.mem.codeEpoch();
    this.codeHeader = this.mmu.mem.header;
  }

  /**
   * Calls onTick at a TB boundary every TICK_TBS interpreted TBs or
   * TICK_REGION_CALLS region calls, a few times per ms of guest time: the
   * main thread's solo phase keeps its time budget so (machine/solo-watch.ts),
   * since nothing interrupts a guest loop without syscalls there. The tier
   * loops compare two counters they keep anyway at the pending word's polls,
   * so a vCPU without a tick pays those two compares only.
   */
  tickEvery(onTick: () => void): void {
    this.onTick = onTick;
    this.regionBudget = TICK_REGION_BUDGET;
    this.nextTick();
  }

  private nextTick(): void {
    this.tickTbs = this.counters.tbExecs + TICK_TBS;
    this.tickRegions = this.counters.regionEntries + TICK_REGION_CALLS;
  }

  /** Guest instructions executed, all tiers. */
  get guestInsns(): number {
    return guestInsnsOf(this.counters, this.regionCounters);
  }

  /** The translator's and cpu loop's --stats counters, with the time split when timing. */
  stats(): Record<string, number> {
    return vcpuStats(this.counters, this.regionCounters, this.cache, this.gen, this.timing);
  }

  /** The TB for pc in the current instruction set state (the TB key includes T and ITSTATE). */
  private findTb(pc: number): TranslationBlock {
    const execState = this.env[Env.EXEC_STATE]!;
    const tb = this.cache.lookup(tbKey(pc, execState));
    if (tb) return tb;
    const t0 = this.timing.start();
    let made: TranslationBlock;
    try {
      made = this.makeTb(pc, execState);
    } finally {
      this.timing.translate += this.timing.since(t0);
    }
    this.onTranslated?.(made);
    return made;
  }

  /** A new TB for pc in execState, its page's code version noted so that a change of the page drops it. */
  private makeTb(pc: number, execState: number): TranslationBlock {
    const made = this.gen.genTb(pc, execState);
    this.snapshots.note(made.page, made.version);
    return made;
  }

  /**
   * Called with each TB the cpu loop translates (not those translateAhead
   * makes): the solo phase passes them on to the worker that will take the
   * thread over (machine/solo-warm.ts), which counts those it translates again.
   */
  onTranslated: ((tb: TranslationBlock) => void) | null = null;

  /**
   * Translates the TB for pc in instruction set state execState now, as the
   * cpu loop would when it reached pc with that state: from the bytes there
   * now, recorded with their code version, so that a later change of the
   * page drops it as any TB. False if none was made (one is cached, or the
   * page is not executable now). The solo phase's worker translates the main
   * thread's TBs so while it waits for the thread (machine/solo-warm.ts).
   */
  translateAhead(pc: number, execState: number): boolean {
    // Stale TBs are dropped first, or a stale TB's key would pass for translated.
    this.checkCode();
    if (this.cache.lookup(tbKey(pc, execState)) || this.mmu.fetch(pc) === null) return false;
    try {
      this.makeTb(pc, execState);
      return true;
    } catch (e) {
      // A page unmapped while the TB was read: the thread translates it when (if) it gets there.
      if (e instanceof GuestFault) return false;
      throw e;
    }
  }

  private heat(tb: TranslationBlock, old: Region | null): void {
    const t0 = this.timing.start();
    this.gen.genRegion(tb, old);
    this.timing.compile += this.timing.since(t0);
  }

  /** Drops translations whose code pages changed (any vCPU's store, munmap, cacheflush). */
  private checkCode(): void {
    const epoch = this.mmu.mem.codeEpoch();
    if (epoch !== this.seenCodeEpoch) {
      this.seenCodeEpoch = epoch;
      this.cache.invalidateStale(this.mmu.mem.codeVersion);
    }
  }

  /**
   * A synchronous fault of the instruction at fault.pc (registers as it found
   * them): returns true if the thread's signal handler will run, false to end
   * the process. Set by the worker (linux-user/signal-delivery.ts).
   */
  onFault: (fault: GuestFault) => boolean = () => false;

  /**
   * The deterministic scheduler's side of the running thread (--sched), or
   * null: asked before each TB whose events meet its mask (docs/scheduler.md).
   */
  sched: SchedThread | null = null;

  /**
   * Runs guest code until an exception ends the thread or the process
   * (ThreadExit, ProcessExit, GuestFault, UnsupportedGuestCode).
   */
  run(): never {
    this.timing.running(true);
    try {
      for (;;) {
        try {
          this.runUntilFault();
        } catch (e) {
          if (!(e instanceof GuestFault) || !this.onFault(e)) throw e;
        }
      }
    } finally {
      this.timing.running(false);
    }
  }

  /**
   * The cpu loop proper, kept free of try/catch; it leaves only by an
   * exception. It only dispatches: each step is a tier loop (interpreted TBs,
   * or compiled regions) or one piece of rare work, named by the code the
   * previous step returned (exec/cpu-loop-steps.ts explains why).
   */
  private runUntilFault(): never {
    const steps = this.steps;
    let next: number = STEP_TOP;
    for (;;) next = callStep(steps[next]!, this);
  }

  /** The steps runUntilFault dispatches to, indexed by STEP_* (an array element, so V8 cannot fold the call target). */
  private readonly steps: Step[] = [
    Vcpu.runInterpreted, Vcpu.runRegions, Vcpu.top, Vcpu.stepHeat, Vcpu.stepExit, Vcpu.stepRegionExit,
    Vcpu.stepRegrow, Vcpu.stepRegionLink, Vcpu.stepBadBranch,
  ];

  /**
   * The deterministic scheduler's point before `tb` (--sched): true if other
   * threads ran, so that the caller returns to the top (their requests and
   * code changes are served before this TB, whose point is not taken twice).
   */
  private schedPoint(tb: TranslationBlock, sched: SchedThread): boolean {
    if (!this.schedStepped && ((tb.schedEvents & sched.eventMask) !== 0 || ++this.schedQuiet >= SCHED_QUIET_TBS)) {
      this.schedQuiet = 0;
      if (sched.step()) {
        this.schedStepped = true;
        return true;
      }
    }
    this.schedStepped = false;
    return false;
  }

  /** Interpreted TBs, following direct links, until a TB with a region, a request or an exit to handle. */
  private static runInterpreted(v: Vcpu): number {
    const env = v.env;
    const c = v.counters;
    const pollPending = PENDING_POLL ? v.control.pending : NEVER_PENDING;
    const pollIndex = PENDING_POLL ? v.control.pendingIndex : 0;
    const header = v.codeHeader;
    const chaining = v.options.chaining;
    const trace = v.options.trace;
    const sched = v.sched;
    const hot = v.hot;
    const tierInsns = c.interpInsns;
    const pending = v.control.pending;
    const pendingIndex = v.control.pendingIndex;
    const tickTbs = v.tickTbs;
    let tb = v.findTb(env[Env.PC]! | 0);
    for (;;) {
      if (tb.region !== null) return STEP_REGIONS;
      if (sched !== null && v.schedPoint(tb, sched)) return STEP_TOP;
      if (trace) trace(formatCpuState(env));
      // Runs since it last became a region's inner block (exec/tb-gen.ts genRegion): 0 never matches.
      if (++tb.execs - tb.heatBase === hot) return STEP_HEAT;
      const interp = tb.code!;
      const code = runInterpTb(interp);
      c.tbExecs++;
      // After the run: a TB is rewritten at the start of a run.
      tierInsns[interp.tier] += tb.nInsns;
      if (code >= FIRST_DIRECT_EXIT) {
        if (pollPending[pollIndex] !== 0 || header[HDR_CODE_EPOCH] !== v.seenCodeEpoch || c.tbExecs >= tickTbs) return STEP_TOP;
        const slot = code - FIRST_DIRECT_EXIT;
        let link = tb.links[slot]!;
        if (link === null || !link.valid) {
          const target = v.findTb(env[Env.PC]! | 0);
          if (chaining && tb.valid) tb.links[slot] = target;
          link = target;
        } else {
          c.chainedJumps++;
        }
        tb = link;
        continue;
      }
      if (code !== ExitReason.INDIRECT) {
        v.lastCode = code;
        return STEP_EXIT;
      }
      c.indirectJumps++;
      // ARM state needs bits 1..0 clear; Thumb pcs have bit 0 clear by construction.
      if (env[Env.PC]! & 3 & ~(env[Env.EXEC_STATE]! << 1)) return STEP_BAD_BRANCH;
      if (pending[pendingIndex] !== 0 || header[HDR_CODE_EPOCH] !== v.seenCodeEpoch || c.tbExecs >= tickTbs) return STEP_TOP;
      const target = v.findTb(env[Env.PC]! | 0);
      if (tb.indirectTargets.length < MAX_TB_INDIRECT_TARGETS && !tb.indirectTargets.includes(target)) {
        // Where this TB's indirect jump goes: a region formed over both jumps there inside.
        tb.indirectTargets.push(target);
      }
      tb = target;
    }
  }

  /**
   * Compiled regions, following direct links between them, until a TB
   * without a region or anything else: every path here is taken by a
   * region's first few exits, the rest returns to a step of its own.
   */
  private static runRegions(v: Vcpu): number {
    const env = v.env;
    const c = v.counters;
    const pollPending = PENDING_POLL ? v.control.pending : NEVER_PENDING;
    const pollIndex = PENDING_POLL ? v.control.pendingIndex : 0;
    const header = v.codeHeader;
    const trace = v.options.trace;
    const sched = v.sched;
    const budget = v.regionBudget;
    const tickRegions = v.tickRegions;
    let tb = v.findTb(env[Env.PC]! | 0);
    for (;;) {
      const region = tb.region;
      if (region === null) return STEP_INTERPRETED;
      if (sched !== null && v.schedPoint(tb, sched)) return STEP_TOP;
      // A solo region (a TB the interpreter cannot run) runs while tracing too.
      if (trace) trace(formatCpuState(env));
      v.lastRegion = region;
      const code = callRegion(region.fn, tb.regionEntry, budget);
      c.regionEntries++;
      // Stored on every exit: a store first made on a rare path would be a path without type feedback.
      v.lastCode = code;
      const slot = code - FIRST_DIRECT_EXIT;
      v.lastSlot = slot;
      if (code < FIRST_DIRECT_EXIT) return STEP_REGION_EXIT;
      // A poll's exit (budget, request, code change) jumps to a block of the region; others leave it.
      const internal = region.internalExit[slot] === true;
      c.regionPollExits += internal ? 1 : 0;
      region.exits += internal ? 0 : 1;
      if (region.exits === REGROW_EXITS && !internal) return STEP_REGROW;
      if (pollPending[pollIndex] !== 0 || header[HDR_CODE_EPOCH] !== v.seenCodeEpoch || c.regionEntries >= tickRegions) return STEP_TOP;
      const link = region.links[slot]!;
      if (link === null || !link.valid) return STEP_REGION_LINK;
      c.chainedJumps++;
      tb = link;
    }
  }

  /** What the old cpu loop did at its top: serve requests, drop stale code, and go on in the tier of the TB at the pc. */
  private static top(v: Vcpu): number {
    // The tick first: it may ask for the hand-over (REQ_HANDOVER), served just below.
    if (v.counters.tbExecs >= v.tickTbs || v.counters.regionEntries >= v.tickRegions) {
      v.nextTick();
      v.onTick!();
    }
    if (v.control.pending[v.control.pendingIndex] !== 0) v.control.serveRequests();
    if (v.codeHeader[HDR_CODE_EPOCH] !== v.seenCodeEpoch) v.checkCode();
    return v.findTb(v.env[Env.PC]! | 0).region !== null ? STEP_REGIONS : STEP_INTERPRETED;
  }

  /** The TB at the pc reached the hot threshold (counted, not run yet): compile the region around it. */
  private static stepHeat(v: Vcpu): number {
    v.heat(v.findTb(v.env[Env.PC]! | 0), null);
    return Vcpu.top(v);
  }

  /** A TB returned a special exit (syscall, undefined instruction, ...). */
  private static stepExit(v: Vcpu): number {
    v.handleExit(v.lastCode);
    return Vcpu.top(v);
  }

  /** A region returned an indirect jump or a special exit. */
  private static stepRegionExit(v: Vcpu): number {
    const region = v.lastRegion!;
    const env = v.env;
    if (v.lastCode !== ExitReason.INDIRECT) {
      v.handleExit(v.lastCode);
      return Vcpu.top(v);
    }
    v.counters.indirectJumps++;
    if (env[Env.PC]! & 3 & ~(env[Env.EXEC_STATE]! << 1)) v.badBranchTarget();
    if (v.control.pending[v.control.pendingIndex] === 0 && v.codeHeader[HDR_CODE_EPOCH] === v.seenCodeEpoch) {
      // Remember a few targets (roots when it regrows).
      const target = v.findTb(env[Env.PC]! | 0);
      if (region.indirectTargets.length < MAX_INDIRECT_TARGETS && !region.indirectTargets.includes(target)) {
        region.indirectTargets.push(target);
      }
      if (++region.exits === REGROW_EXITS) v.regrow(region);
    }
    return Vcpu.top(v);
  }

  /** A region left for code outside it for the REGROW_EXITS-th time: form it again with those targets. */
  private static stepRegrow(v: Vcpu): number {
    v.regrow(v.lastRegion!);
    return Vcpu.top(v);
  }

  /** A region's direct exit with no valid link yet: link it (and the TB behind it) to the TB at the pc. */
  private static stepRegionLink(v: Vcpu): number {
    const region = v.lastRegion!;
    const slot = v.lastSlot;
    const target = v.findTb(v.env[Env.PC]! | 0);
    if (v.options.chaining && region.valid) {
      region.links[slot] = target;
      // The TB behind a region's exit learns its successor too (regions are formed from TB links).
      const site = region.exitSites[slot]!;
      const from = region.blocks[site.block]!;
      if (from.valid) from.links[site.slot] = target;
    }
    return target.region !== null ? STEP_REGIONS : STEP_INTERPRETED;
  }

  private static stepBadBranch(v: Vcpu): number {
    v.badBranchTarget();
  }

  private regrow(region: Region): void {
    if (region.generation < MAX_REGION_GENERATION && region.valid) {
      const head = region.blocks[0]!;
      if (head.valid && head.region === region) this.heat(head, region);
    }
  }

  private badBranchTarget(): never {
    // BX to an ARM address with bits 1..0 = 0b10 is UNPREDICTABLE (ARM ARM A2.3.2). As
    // qemu-arm: fetching from a page that is not executable faults first (it
    // looks the TB up before it checks alignment); else a PC alignment fault
    // at the target (SIGBUS, BUS_ADRALN).
    const target = this.env[Env.PC]! >>> 0;
    if (this.mmu.fetch(target & ~3) === null) throw this.gen.fetchFault(target);
    throw new GuestFault(SIGBUS, target, target, 'execute', 'branch to a misaligned ARM address', BUS_ADRALN);
  }

  private handleExit(code: number): void {
    const env = this.env;
    const pc = env[Env.PC]! >>> 0;
    switch (code) {
      case ExitReason.SYSCALL: {
        this.counters.syscalls++;
        const t0 = this.timing.start();
        try {
          this.onSyscall();
        } finally {
          this.timing.syscall += this.timing.since(t0);
        }
        return;
      }
      case ExitReason.UNDEFINED: {
        const state = env[Env.EXEC_STATE]!;
        const word = insnWordAt(this.code, pc, state) ?? 0;
        const text = state & 1 && word < 0x10000 ? word.toString(16).padStart(4, '0') : hex(word);
        throw new GuestFault(SIGILL, pc, pc, 'execute', `undefined instruction 0x${text}`, ILL_ILLOPC);
      }
      case ExitReason.BREAKPOINT:
        throw new GuestFault(SIGTRAP, pc, pc, 'execute', 'breakpoint (BKPT)', TRAP_BRKPT);
      case ExitReason.UNSUPPORTED:
        throw new UnsupportedGuestCode(`unsupported instruction 0x${hex(insnWordAt(this.code, pc, env[Env.EXEC_STATE]!) ?? 0)} at pc 0x${hex(pc)}`);
      case ExitReason.EXIT_REQUEST:
        return;
      default:
        throw new Error(`internal: generated code returned unknown exit code ${code}`);
    }
  }
}
