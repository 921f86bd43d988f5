// One vCPU: the cpu loop of a guest thread (QEMU's cpu_exec + cpu_loop).
// Finds or translates the TB at R15, runs it (interpreted, or through the
// compiled region it is an entry of), follows chained links, and handles
// exits: syscalls, undefined instructions, faults and requests.

import { Env } from '../arm/cpu-state.js';
import { tbKey } from '../arm/exec-state.js';
import { insnWordAt, type CodeFetcher } from '../arm/translator.js';
import { makeTbRuntime, REGION_INSNS } from '../backend/compile-tb.js';
import { FIRST_DIRECT_EXIT } from '../backend/exit-codes.js';
import { runInterpTb } from '../backend/interp-tb.js';
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
import type { ExecUnit, Region, TranslationBlock } from './translation-block.js';
import type { VcpuControl } from './vcpu-control.js';
import { VcpuTiming } from './vcpu-timing.js';

export interface VcpuOptions {
  /** Guest instructions per TB at most (1 = single-step, as qemu -singlestep). */
  readonly maxInsns: number;
  /** Direct TB chaining (off = qemu's -d nochain). */
  readonly chaining: boolean;
  /** Interpreted runs after which a TB heads a compiled region; 0 = never (interpreter only). */
  readonly hotThreshold: number;
  /** Called with a qemu-style register dump before each TB runs. */
  readonly trace: ((text: string) => void) | null;
  /** Called with each compiled region's JavaScript. */
  readonly dumpJs: ((pc: number, source: string) => void) | null;
  /** Measure where the time goes (--stats). */
  readonly timing: boolean;
}

/** Back-edges (polls) a region call may take before it returns to the cpu loop. */
export const REGION_BUDGET = 1 << 20;
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

export interface VcpuCounters {
  /** Guest instructions and TB executions in the interpreter (regions count their instructions in regionCounters, not their blocks). */
  insns: number;
  tbExecs: number;
  chainedJumps: number;
  indirectJumps: number;
  syscalls: number;
  regionEntries: number;
  /** Region returns at a block boundary inside the region (budget, request or code change). */
  regionPollExits: number;
}

export class Vcpu {
  readonly cache = new TbCache();
  readonly counters: VcpuCounters = {
    insns: 0, tbExecs: 0, chainedJumps: 0, indirectJumps: 0, syscalls: 0, regionEntries: 0, regionPollExits: 0,
  };
  readonly timing: VcpuTiming;
  readonly gen: TbGen;
  private readonly regionCounters: Float64Array;
  private readonly code: CodeFetcher;
  private readonly snapshots: CodeSnapshots;
  private seenCodeEpoch: number;

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
      PENDING_POLL ? control.pendingIndex : 0, (f) => this.timing.helper(f));
    this.regionCounters = rt.regionCounters;
    const hot = options.hotThreshold;
    this.gen = new TbGen(mmu, atomics, rt, this.cache, {
      maxInsns: options.maxInsns,
      dumpJs: options.dumpJs,
      shape: { maxBlocks: 64, maxInsns: 2048, minExecs: Math.max(1, hot >> 3) },
    });
    this.seenCodeEpoch = mmu.mem.codeEpoch();
    this.code = { fetch32: (a) => mmu.fetch(a), fetch16: (a) => mmu.fetch16(a) };
    this.snapshots = new CodeSnapshots(mmu, this.cache);
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
  }

  /** Guest instructions executed, all tiers. */
  get guestInsns(): number {
    return this.counters.insns + this.regionCounters[REGION_INSNS]!;
  }

  /** The translator's and cpu loop's --stats counters, with the time split when timing. */
  stats(): Record<string, number> {
    const c = this.counters;
    const g = this.gen;
    const out: Record<string, number> = {
      guestInsns: this.guestInsns,
      tbExecs: c.tbExecs,
      chainedJumps: c.chainedJumps,
      indirectJumps: c.indirectJumps,
      tbsTranslated: this.cache.translated,
      tbsInvalidated: this.cache.invalidated,
      tbCacheFlushes: this.cache.fullFlushes,
      regionsCompiled: g.regionsCompiled,
      regionBlocks: g.regionBlocks,
      regionsAbandoned: g.regionsAbandoned,
      regionsRegrown: g.regionsRegrown,
      regionsInvalidated: this.cache.regionsInvalidated,
      soloTbs: g.soloTbs,
      regionEntries: c.regionEntries,
      regionPollExits: c.regionPollExits,
    };
    return this.timing.enabled ? { ...out, ...this.timing.split() } : out;
  }

  /** The TB for pc in the current instruction set state (the TB key includes T and ITSTATE). */
  private findTb(pc: number): TranslationBlock {
    const execState = this.env[Env.EXEC_STATE]!;
    const tb = this.cache.lookup(tbKey(pc, execState));
    if (tb) return tb;
    const t0 = this.timing.start();
    try {
      const made = this.gen.genTb(pc, execState);
      this.snapshots.note(made.page, made.version);
      return made;
    } finally {
      this.timing.translate += this.timing.since(t0);
    }
  }

  private heat(tb: TranslationBlock, old: Region | null): void {
    const t0 = this.timing.start();
    this.gen.genRegion(tb, old);
    this.timing.compile += this.timing.since(t0);
  }

  /** A region left for code outside it: count, regrow when frequent. */
  private regionExit(region: Region): void {
    if (++region.exits === REGROW_EXITS && region.generation < MAX_REGION_GENERATION && region.valid) {
      const head = region.blocks[0]!;
      if (head.valid && head.region === region) this.heat(head, region);
    }
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

  /** The cpu loop proper, kept free of try/catch; it leaves only by an exception. */
  private runUntilFault(): never {
    const env = this.env;
    const c = this.counters;
    const pending = this.control.pending;
    const pendingIndex = this.control.pendingIndex;
    // Between chained TBs (the measurement switch can leave this to the top of the loop).
    const pollPending = PENDING_POLL ? pending : NEVER_PENDING;
    const pollIndex = PENDING_POLL ? pendingIndex : 0;
    const header = this.mmu.mem.header;
    const chaining = this.options.chaining;
    const trace = this.options.trace;
    // Regions chain blocks without the cpu loop: not while tracing or single-stepping TBs.
    const hot = trace || !chaining || this.options.maxInsns === 1 ? 0 : this.options.hotThreshold;
    const sched = this.sched;
    const schedMask = sched === null ? 0 : sched.eventMask;
    // The scheduling point of the TB about to run was taken (other threads ran): do not take it twice.
    let stepped = false;
    // TBs run since the last scheduling point: a long run without events (a spin on registers, or on
    // plain loads under events=atomics) becomes a scheduling point too, so that it cannot starve the others.
    let quiet = 0;
    for (;;) {
      if (pending[pendingIndex] !== 0) this.control.serveRequests();
      if (header[HDR_CODE_EPOCH] !== this.seenCodeEpoch) this.checkCode();
      let tb = this.findTb(env[Env.PC]! | 0);
      // Inner loop: run TBs and regions, following direct links while nothing is pending.
      for (;;) {
        if (sched !== null) {
          if (!stepped && ((tb.schedEvents & schedMask) !== 0 || ++quiet >= SCHED_QUIET_TBS)) {
            quiet = 0;
            if (sched.step()) {
              // Others ran: serve their requests and code changes before this TB.
              stepped = true;
              break;
            }
          }
          stepped = false;
        }
        if (trace) trace(formatCpuState(env));
        let unit: ExecUnit;
        let code: number;
        const region = tb.region;
        if (region !== null) {
          code = region.fn(tb.regionEntry, REGION_BUDGET);
          c.regionEntries++;
          unit = region;
        } else {
          code = runInterpTb(tb.code!);
          c.tbExecs++;
          c.insns += tb.nInsns;
          unit = tb;
          // Runs since it last became a region's inner block (exec/tb-gen.ts genRegion): 0 never matches.
          if (++tb.execs - tb.heatBase === hot) this.heat(tb, null);
        }
        if (code >= FIRST_DIRECT_EXIT) {
          const slot = code - FIRST_DIRECT_EXIT;
          if (region !== null) {
            if (region.internalExit[slot]) c.regionPollExits++;
            else this.regionExit(region);
          }
          if (pollPending[pollIndex] !== 0 || header[HDR_CODE_EPOCH] !== this.seenCodeEpoch) break;
          let link = unit.links[slot]!;
          if (link === null || !link.valid) {
            const target = this.findTb(env[Env.PC]! | 0);
            if (chaining && unit.valid) {
              unit.links[slot] = target;
              // The TB behind a region's exit learns its successor too (regions are formed from TB links).
              if (region !== null) {
                const site = region.exitSites[slot]!;
                const from = region.blocks[site.block]!;
                if (from.valid) from.links[site.slot] = target;
              }
            }
            link = target;
          } else {
            c.chainedJumps++;
          }
          tb = link;
          continue;
        }
        if (code === ExitReason.INDIRECT) {
          c.indirectJumps++;
          // ARM state needs bits 1..0 clear; Thumb pcs have bit 0 clear by construction.
          if (env[Env.PC]! & 3 & ~(env[Env.EXEC_STATE]! << 1)) this.badBranchTarget();
          if (pending[pendingIndex] !== 0 || header[HDR_CODE_EPOCH] !== this.seenCodeEpoch) break;
          const target = this.findTb(env[Env.PC]! | 0);
          if (region !== null) {
            this.indirectExit(region, target);
          } else if (tb.indirectTargets.length < MAX_TB_INDIRECT_TARGETS && !tb.indirectTargets.includes(target)) {
            // Where this TB's indirect jump goes: a region formed over both jumps there inside.
            tb.indirectTargets.push(target);
          }
          tb = target;
          continue;
        }
        this.handleExit(code);
        break;
      }
    }
  }

  /** A region left through an indirect jump: remember a few targets (roots when it regrows). */
  private indirectExit(region: Region, target: TranslationBlock): void {
    if (region.indirectTargets.length < MAX_INDIRECT_TARGETS && !region.indirectTargets.includes(target)) {
      region.indirectTargets.push(target);
    }
    this.regionExit(region);
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
