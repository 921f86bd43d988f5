// One vCPU: the cpu loop of a guest thread (QEMU's cpu_exec + cpu_loop).
// Finds or translates the TB at R15, runs it, follows chained links, and
// handles exits: syscalls, undefined instructions, faults and requests.

import { Env } from '../arm/cpu-state.js';
import { tbKey } from '../arm/exec-state.js';
import { insnWordAt, translateBlock, type CodeFetcher } from '../arm/translator.js';
import { compileTb, makeTbRuntime, type TbRuntime } from '../backend/compile-tb.js';
import { emitTb, isSelfLooping } from '../backend/emit-tb.js';
import type { AtomicVcpu } from '../atomics/strategy.js';
import { removeDeadCode } from '../ir/liveness.js';
import { optimize } from '../ir/optimize.js';
import {
  BUS_ADRALN, GuestFault, hex, ILL_ILLOPC, SEGV_ACCERR, SEGV_MAPERR, SIGBUS, SIGILL, SIGSEGV, SIGTRAP, TRAP_BRKPT,
} from '../softmmu/guest-fault.js';
import type { Mmu } from '../softmmu/mmu.js';
import { PAGE_BITS, PAGE_SIZE, PTE_EXEC, PTE_MAPPED } from '../softmmu/page-bits.js';
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
  private readonly code: CodeFetcher;
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
    this.code = { fetch32: (a) => mmu.fetch(a), fetch16: (a) => mmu.fetch16(a) };
  }

  /**
   * The bytes of each page TBs were translated from, with the page's code
   * version then: what lets translations survive a switch of address space.
   */
  private readonly pageBytes = new Map<number, { version: number; bytes: Uint8Array }>();

  /**
   * The vCPU goes on in another address space (a thread of another process,
   * or execve over the same frames). A page's TBs are kept when the new
   * space has the same bytes at the same address, executable (the same
   * program, or a fork of it): QEMU translates afresh in every process, a
   * shell loop here does not. The page is marked as code in the new space
   * before its bytes are compared, so a store racing with the check bumps
   * the version the TBs now carry. Every other TB is dropped.
   */
  switchAddressSpace(): void {
    const mem = this.mmu.mem;
    for (const page of this.cache.pages()) {
      const snap = this.pageBytes.get(page);
      const pte = mem.pte(page);
      const tbs = this.cache.tbsOf(page);
      const usable = snap !== undefined && (pte & (PTE_MAPPED | PTE_EXEC)) === (PTE_MAPPED | PTE_EXEC) && pte >>> PAGE_BITS !== 0 &&
        tbs.every((tb) => tb.version === snap.version && tb.page2 < 0);
      if (!usable) {
        this.cache.invalidatePage(page);
        this.pageBytes.delete(page);
        continue;
      }
      const version = mem.markCode(page);
      const frame = (pte >>> PAGE_BITS) * PAGE_SIZE;
      if (Buffer.compare(snap.bytes, mem.u8.subarray(frame, frame + PAGE_SIZE)) !== 0) {
        this.cache.invalidatePage(page);
        this.pageBytes.delete(page);
        continue;
      }
      mem.noteCodeBytes(page, 0, PAGE_SIZE);
      for (const tb of tbs) tb.version = version;
      snap.version = version;
    }
    this.seenCodeEpoch = mem.codeEpoch();
  }

  /** Keeps the bytes a page's TBs come from, unless the page changed during the translation (its TBs are stale then). */
  private notePageBytes(page: number, version: number): void {
    const mem = this.mmu.mem;
    const seen = this.pageBytes.get(page);
    if (seen && seen.version === version) return;
    const frame = mem.frameOffset(page);
    if (frame < 0 || Atomics.load(mem.codeVersion, page) !== version) return;
    const bytes = mem.u8.slice(frame, frame + PAGE_SIZE);
    // A store between the copy and here moved the version: then these TBs die anyway.
    if (Atomics.load(mem.codeVersion, page) === version) this.pageBytes.set(page, { version, bytes });
  }

  /** SIGSEGV for executing at pc: MAPERR if its page is unmapped, ACCERR if not executable. */
  private fetchFault(pc: number): GuestFault {
    const mapped = (this.mmu.mem.pte(pc >>> PAGE_BITS) & PTE_MAPPED) !== 0;
    return new GuestFault(SIGSEGV, pc, pc, 'execute', 'instruction fetch from a non-executable or unmapped page',
      mapped ? SEGV_ACCERR : SEGV_MAPERR);
  }

  /** Translates the TB at pc in the instruction set state execState (cached under `key`). */
  private translate(pc: number, execState: number, key: number): TranslationBlock {
    const page = pc >>> PAGE_BITS;
    if (this.mmu.fetch(pc) === null) throw this.fetchFault(pc);
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
    const ops = removeDeadCode(optimize(ir.builder.ops), ir.builder.tempCount, globals);
    const source = emitTb(ops, { pc, mnemonics: ir.mnemonics }, globals, this.atomics, this.options.dumpJs !== null);
    this.options.dumpJs?.(pc, source);
    const fn = compileTb(this.runtime, `tb_${hex(pc)}`, source);
    const selfLoop = isSelfLooping(ops, pc);
    const tb: TranslationBlock = {
      pc, key, page, version, page2: ir.page2, version2: nextPageVersion, fn, nInsns: ir.nInsns, selfLoop, links: [null, null], valid: true,
    };
    this.cache.insert(tb);
    this.notePageBytes(page, version);
    return tb;
  }

  /** The TB for pc in the current instruction set state (the TB key includes T and ITSTATE). */
  private findTb(pc: number): TranslationBlock {
    const execState = this.env[Env.EXEC_STATE]!;
    const key = tbKey(pc, execState);
    return this.cache.lookup(key) ?? this.translate(pc, execState, key);
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
   * Runs guest code until an exception ends the thread or the process
   * (ThreadExit, ProcessExit, GuestFault, UnsupportedGuestCode).
   */
  run(): never {
    for (;;) {
      try {
        this.runUntilFault();
      } catch (e) {
        if (!(e instanceof GuestFault) || !this.onFault(e)) throw e;
      }
    }
  }

  /** The cpu loop proper, kept free of try/catch; it leaves only by an exception. */
  private runUntilFault(): never {
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
            // ARM state needs bits 1..0 clear; Thumb pcs have bit 0 clear by construction.
            if (env[Env.PC]! & 3 & ~(env[Env.EXEC_STATE]! << 1)) this.badBranchTarget();
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
    // BX to an ARM address with bits 1..0 = 0b10 is UNPREDICTABLE (ARM ARM A2.3.2). As
    // qemu-arm: fetching from a page that is not executable faults first (it
    // looks the TB up before it checks alignment); else a PC alignment fault
    // at the target (SIGBUS, BUS_ADRALN).
    const target = this.env[Env.PC]! >>> 0;
    if (this.mmu.fetch(target & ~3) === null) throw this.fetchFault(target);
    throw new GuestFault(SIGBUS, target, target, 'execute', 'branch to a misaligned ARM address', BUS_ADRALN);
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
        throw new Error(`internal: TB returned unknown exit code ${code}`);
    }
  }
}
