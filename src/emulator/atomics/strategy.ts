// The atomic-strategy interface (see docs/strategies.md and STRATEGIES.md).
//
// The translator never asks which strategy is active: it emits ld_excl,
// st_excl, clrex, swap, cmpxchg, cmpxchg64 and mb. The backend asks the
// vCPU's AtomicVcpu to lower each one to JavaScript: an inline fast path, a
// helper call, or both. Each operation has that one name everywhere: IR op,
// lowering method, helper and binding (`a_<op>`). Shared state is created once
// (in the main thread) and attached in every vCPU worker.
//
// A strategy is one folder (src/aie, src/llsc-tlbexcl, ...) that declares everything
// about itself here: its options, the torture variants worth running, what
// it guarantees, and its page in docs/. The CLI and `mttcg torture` read
// these through the registry (src/machine/strategy-registry.ts).

import type { BarrierKind } from '../ir/barrier-kind.js';
import type { Guarantees } from './guarantees.js';
import type { VcpuServices } from './vcpu-services.js';

/**
 * Lowers the atomic IR ops to JavaScript statements. Operands are JS
 * expressions of int32 values. `sync` (comma-separated assignments, or '')
 * makes env exact: a lowering evaluates it before any helper that may fault
 * (a compiled region keeps guest registers in locals); an inline fast path
 * that cannot fault may skip it.
 */
export interface AtomicLowering {
  /** Values the emitted code refers to by name (helpers, typed arrays). Names must start with `a_`. */
  readonly bindings: Readonly<Record<string, unknown>>;
  ld_excl(dstLo: string, dstHi: string, addr: string, memop: number, pc: number, sync?: string): string;
  /**
   * `announced`: the region local ANNOUNCED when the region keeps runs of flagged stores and the strategy's
   * InlineFlaggedStore has `strexStartsRuns` (else ''): the STREX may then leave an announcement up (InlineFlaggedStore).
   */
  st_excl(status: string, addr: string, lo: string, hi: string, memop: number, pc: number, sync?: string, announced?: string): string;
  clrex(): string;
  swap(dst: string, addr: string, value: string, memop: number, pc: number, sync?: string): string;
  cmpxchg(ok: string, addr: string, expected: string, replacement: string, memop: number, pc: number, sync?: string): string;
  cmpxchg64(ok: string, ptr: string, expectedPtr: string, replacementPtr: string, pc: number, sync?: string): string;
  mb(kind: BarrierKind): string;
  /** Optional: plain stores to flagged pages inline (none: they all call the SoftMMU's slow path). */
  readonly inlineFlaggedStore?: InlineFlaggedStore;
  /**
   * Optional: other values for some of `bindings` under which every inline
   * path that reads them takes its fallback, as under contention (say, no
   * frame marked); a region's training calls read them so that those
   * fallbacks get type feedback (exec/region-training.ts). Only for bindings
   * the translated code reads to choose between its inline path and its
   * fallback (and writes, if at all, only on the inline path their
   * contended values rule out), never ones it publishes through. A getter
   * may make a value when the first region is compiled.
   */
  readonly contendedBindings?: Readonly<Record<string, unknown>>;
}

/**
 * A plain store whose TLB write tag is its page plus TLB_EXCL (a hit whose
 * only flag is the strategy's) runs inline when `begin(off)`, a JS boolean
 * expression over the store's host byte offset `off` (a side-effect-free
 * expression), is true: `begin` then leaves the vCPU's announcement naming
 * the store's frame (replacing any it made before); false leaves none up and
 * nothing to undo: the store takes the slow path. `withdraw` (a JS
 * expression) takes it down; with `runs` both may read the region local
 * ANNOUNCED (backend/store-announcement.ts: the announced frame + 1, or 0),
 * which the backend clears only after `withdraw`. Without `runs` the backend withdraws right
 * after each store. With `runs` the announcement stays up across the
 * following stores of the same guest block to the same frame (they run with
 * no check at all) and is withdrawn before anything that may block, wait for
 * another vCPU or leave the block: every helper call, every atomic op, every
 * exit (backend/store-announcement.ts). A strategy sets `runs` only if one
 * check covers the run (the LDREX that counts after it waits for the
 * withdrawal) and its `mb` lowering never blocks.
 */
export interface InlineFlaggedStore {
  begin(off: string): string;
  readonly withdraw: string;
  readonly runs: boolean;
  /**
   * With `runs`: the announcement also stays up across a jump to a later block
   * of the region (a forward edge, never a cycle); it is withdrawn before a
   * back-edge, an exit and everything else it is withdrawn before inside a block.
   */
  readonly acrossForwardEdges?: boolean;
  /**
   * With `runs`: a successful STREX may start a run itself (st_excl's
   * `announced`): it sets ANNOUNCED to the key (frame + 1, or runKey) of a run it has
   * checked, or to -1 for an announcement up that starts no run (the next
   * store makes its own check, a withdrawal clears it).
   */
  readonly strexStartsRuns?: boolean;
  /**
   * With `runs`: the value ANNOUNCED holds while a run covers a store at host
   * byte offset `off` (a side-effect-free JS expression, never 0 or -1).
   * Default: the frame + 1, so a run covers the block's stores to its frame;
   * a finer key (a chunk) ends the run at a store elsewhere, which then makes
   * its own check.
   */
  runKey?(off: string): string;
}

/** The per-vCPU half of a strategy: lowering plus runtime hooks. */
export interface AtomicVcpu extends AtomicLowering {
  /** Extra TLB flag bits for the write entry of a page being filled (0 for none). */
  tlbWriteFlags(page: number): number;
  /**
   * A plain store hit a page carrying this strategy's TLB flag. Perform the
   * store through `doStore` with whatever checks the strategy needs.
   */
  flaggedStore(addr: number, bytes: number, doStore: () => void): void;
  /** This vCPU enters the kernel (syscall): Linux clears the local monitor on return. */
  onSyscall(): void;
  /** Counters for --stats, merged into the vCPU's figures. */
  stats(): Record<string, number>;
}

export interface StrategyOptions {
  readonly [key: string]: string | number | boolean | undefined;
}

/** One tuning option of a strategy: `--NAME VALUE` on the command line, NAME=VALUE in a torture spec. */
export interface StrategyOptionSpec {
  /** Starts with the strategy's name, e.g. `aie-stores`. */
  readonly name: string;
  readonly help: string;
}

/** A strategy: what it declares about itself, its shared state and its per-vCPU attachment. */
export interface AtomicStrategy {
  readonly name: string;
  /** One line: where the design comes from. */
  readonly origin: string;
  /** Its page in the repository (design, counters, limitations). */
  readonly doc: string;
  /** Its tuning options (none for most). */
  readonly options: readonly StrategyOptionSpec[];
  /** Checks option values; throws an Error whose message names the option. */
  checkOptions(options: StrategyOptions): void;
  /** Option settings `mttcg torture` runs by default beside the defaults: `KEY=VALUE[:KEY=VALUE...]`. */
  readonly tortureVariants: readonly string[];
  /** What the design claims for each torture case, under these options. */
  guarantees(options: StrategyOptions): Guarantees;
  /** Creates the shared state once, in the main thread (null if none). */
  createShared(options: StrategyOptions): SharedArrayBuffer | null;
  /** Attaches one vCPU, inside its worker. */
  attach(shared: SharedArrayBuffer | null, vcpu: VcpuServices, options: StrategyOptions): AtomicVcpu;
}
