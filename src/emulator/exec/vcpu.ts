// One vCPU: the cpu loop of a guest thread (QEMU's cpu_exec + cpu_loop).
// Finds or translates the TB at R15, runs it, follows chained links, and
// handles exits: syscalls, undefined instructions, faults and requests.

import { Env } from '../arm/cpu-state.js';
import { translateBlock } from '../arm/translator.js';
import { compileTb, makeTbRuntime, type TbRuntime } from '../backend/compile-tb.js';
import { emitTb, isSelfLooping } from '../backend/emit-tb.js';
import type { AtomicVcpu } from '../atomics/strategy.js';
import { removeDeadCode } from '../ir/liveness.js';
import { optimize } from '../ir/optimize.js';
import { GuestFault, hex, SIGILL, SIGSEGV, SIGTRAP } from '../softmmu/guest-fault.js';
import type { Mmu } from '../softmmu/mmu.js';
import { PAGE_BITS, PAGE_SIZE } from '../softmmu/page-bits.js';
import { HDR_CODE_EPOCH } from '../softmmu/guest-memory.js';
import { ExitReason } from '../ir/exit-reason.js';
import { TbCache } from './tb-cache.js';
import { formatCpuState } from './trace-format.js';
import type { TranslationBlock } from './translation-block.js';
import type { VcpuControl } from './vcpu-control.js';

export interface VcpuOptions {
  /** Guest instructions per TB at most (1 = single-step, as qemu -singlestep). */
  readonly maxInsns: number;
  /** Direct TB chaining (off = qemu's -d nochain). */
  readonly chaining: boolean;
  /** Called with a qemu-style register dump before each TB runs. */
  readonly trace: ((text: string) => void) | null;
  /** Called with each TB's generated JavaScript. */
  readonly dumpJs: ((pc: number, source: string) => void) | null;
}

/** The guest did something mttcg does not emulate (reported, not a host crash). */
export class UnsupportedGuestCode extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedGuestCode';
  }
}

export interface VcpuCounters {
  insns: number;
  tbExecs: number;
  chainedJumps: number;
  indirectJumps: number;
  syscalls: number;
}

export class Vcpu {
  readonly cache = new TbCache();
  readonly counters: VcpuCounters = { insns: 0, tbExecs: 0, chainedJumps: 0, indirectJumps: 0, syscalls: 0 };
  private readonly runtime: TbRuntime;
  private seenCodeEpoch: number;

  constructor(
    readonly env: Int32Array,
    readonly mmu: Mmu,
    readonly atomics: AtomicVcpu,
    readonly control: VcpuControl,
    private readonly onSyscall: () => void,
    private readonly options: VcpuOptions,
  ) {
    this.runtime = makeTbRuntime(env, mmu, atomics.bindings, control.pending, control.pendingIndex);
    this.seenCodeEpoch = mmu.mem.codeEpoch();
  }

  private translate(pc: number): TranslationBlock {
    const page = pc >>> PAGE_BITS;
    if (this.mmu.fetch(pc) === null) throw new GuestFault(SIGSEGV, pc, pc, 'execute', 'instruction fetch from a non-executable or unmapped page');
    // Mark the page before reading its code: a store racing with translation bumps the version we record.
    const version = this.mmu.protectCode(page);
    const ir = translateBlock(pc, (a) => this.mmu.fetch(a), this.options.maxInsns);
    // Stores beside these bytes leave the page's translations alone (A32: 4 bytes per instruction).
    const inPage = pc & (PAGE_SIZE - 1);
    this.mmu.mem.noteCodeBytes(page, inPage, inPage + ir.nInsns * 4);
    const globals = ir.builder.globals;
    const ops = removeDeadCode(optimize(ir.builder.ops), ir.builder.tempCount, globals);
    const source = emitTb(ops, { pc, mnemonics: ir.mnemonics }, globals, this.atomics, this.options.dumpJs !== null);
    this.options.dumpJs?.(pc, source);
    const fn = compileTb(this.runtime, `tb_${hex(pc)}`, source);
    const selfLoop = isSelfLooping(ops, pc);
    const tb: TranslationBlock = { pc, page, version, fn, nInsns: ir.nInsns, selfLoop, links: [null, null], valid: true };
    this.cache.insert(tb);
    return tb;
  }

  private findTb(pc: number): TranslationBlock {
    return this.cache.lookup(pc) ?? this.translate(pc);
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
   * Runs guest code until an exception ends the thread or the process
   * (ThreadExit, ProcessExit, GuestFault, UnsupportedGuestCode).
   */
  run(): never {
    const env = this.env;
    const c = this.counters;
    const pending = this.control.pending;
    const pendingIndex = this.control.pendingIndex;
    const header = this.mmu.mem.header;
    const chaining = this.options.chaining;
    const trace = this.options.trace;
    for (;;) {
      if (pending[pendingIndex] !== 0) this.control.serveRequests();
      if (header[HDR_CODE_EPOCH] !== this.seenCodeEpoch) this.checkCode();
      let tb = this.findTb(env[Env.PC]! | 0);
      // Inner loop: run TBs, following direct links while nothing is pending.
      for (;;) {
        if (trace) trace(formatCpuState(env));
        const code = tb.fn();
        c.tbExecs++;
        c.insns += tb.nInsns;
        if (tb.selfLoop) {
          const extra = env[Env.LOOP_ITERS]!;
          c.tbExecs += extra;
          c.insns += extra * tb.nInsns;
        }
        if (code > ExitReason.JUMP1) {
          if (code === ExitReason.INDIRECT) {
            c.indirectJumps++;
            if (env[Env.PC]! & 3) this.badBranchTarget();
            break;
          }
          this.handleExit(code);
          break;
        }
        if (pending[pendingIndex] !== 0 || header[HDR_CODE_EPOCH] !== this.seenCodeEpoch) break;
        let link = tb.links[code]!;
        if (link === null || !link.valid) {
          const target = this.findTb(env[Env.PC]! | 0);
          if (chaining && tb.valid) tb.links[code] = target;
          link = target;
        } else {
          c.chainedJumps++;
        }
        tb = link;
      }
    }
  }

  private badBranchTarget(): never {
    const target = this.env[Env.PC]! >>> 0;
    if (target & 1) throw new UnsupportedGuestCode(`branch to Thumb code at 0x${hex(target & ~1)}: mttcg emulates ARM (A32) state only`);
    throw new UnsupportedGuestCode(`branch to misaligned ARM address 0x${hex(target)}`);
  }

  private handleExit(code: number): void {
    const env = this.env;
    const pc = env[Env.PC]! >>> 0;
    switch (code) {
      case ExitReason.SYSCALL:
        this.counters.syscalls++;
        this.onSyscall();
        return;
      case ExitReason.UNDEFINED: {
        const word = this.mmu.fetch(pc);
        throw new GuestFault(SIGILL, pc, pc, 'execute', `undefined instruction 0x${hex(word ?? 0)}`);
      }
      case ExitReason.BREAKPOINT:
        throw new GuestFault(SIGTRAP, pc, pc, 'execute', 'breakpoint (BKPT)');
      case ExitReason.UNSUPPORTED:
        throw new UnsupportedGuestCode(`unsupported instruction 0x${hex(this.mmu.fetch(pc) ?? 0)} at pc 0x${hex(pc)}`);
      case ExitReason.EXIT_REQUEST:
        return;
      default:
        throw new Error(`internal: TB returned unknown exit code ${code}`);
    }
  }
}
