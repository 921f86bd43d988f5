// Emilio G. Cota's Helper-based Atomic Instruction Emulation (AIE, qemu-devel
// RFC, May 2015; seed 002): one host lock per 16-byte chunk of guest physical
// memory, allocated on first atomic use and found through a lockless radix
// tree in shared memory; each entry also holds the set of vCPUs with a
// reservation on the chunk (tiny_set). LDREX/STREX are real LL/SC on that set,
// so ABA by LL/SC pairs is caught; plain stores are checked only from the
// first SWP on (--aie-stores), and then only on pages whose frame holds
// entries a LDREX has used (a SWP or cmpxchg alone needs no checked stores).

import { helperCallLowering } from '../emulator/atomics/helper-lowering.js';
import { guaranteesExcept, type Guarantees } from '../emulator/atomics/guarantees.js';
import type { AtomicStrategy, AtomicVcpu, StrategyOptions } from '../emulator/atomics/strategy.js';
import type { VcpuServices } from '../emulator/atomics/vcpu-services.js';
import { AIE_OPTIONS, Monitor, parseAieOptions, StoreMode } from './aie-options.js';
import { AieShared } from './aie-shared.js';
import { AieVcpu } from './aie-vcpu.js';
import { missingEntries, withAieInlineExclusives } from './inline-exclusives.js';
import { aieInlineUnlockedStore, aieVersionStores, everyFrameReserved } from './inline-unlocked-store.js';
import { withAieVersionExclusives } from './inline-version.js';

/**
 * STRATEGIES.md's aie column, per store mode. A plain store between LDREX and
 * STREX breaks the reservation only while store checks are on: never with
 * 'off'; after a SWP with 'after-swp' (aba-plain-after-swp runs one first, the
 * other plain-store cases do not); always with 'always'. LL/SC pairs (aba-llsc,
 * the Treiber cases) work on the reservation set in every mode.
 */
export function aieGuarantees(options: StrategyOptions): Guarantees {
  const { storeMode } = parseAieOptions(options);
  if (storeMode === StoreMode.ALWAYS) return guaranteesExcept({});
  const plainStoresMissed = { 'aba-plain': 'fail', 'store-diff': 'fail', 'store-same': 'fail' } as const;
  if (storeMode === StoreMode.AFTER_SWP) return guaranteesExcept(plainStoresMissed);
  return guaranteesExcept({ ...plainStoresMissed, 'aba-plain-after-swp': 'fail' });
}

function attachAie(shared: SharedArrayBuffer | null, vcpu: VcpuServices, options: StrategyOptions): AtomicVcpu {
  if (!shared) throw new Error('internal: aie attached without its shared state');
  const o = parseAieOptions(options);
  const aie = new AieVcpu(new AieShared(shared, o), o.storeMode, vcpu, o.monitor);
  const hooks = {
    tlbWriteFlags: (page: number) => aie.checks.tlbWriteFlags(page),
    flaggedStore: (addr: number, bytes: number, doStore: () => void) => aie.checks.store(addr, bytes, doStore),
    onSyscall: () => aie.dropReservation(),
    stats: () => aie.stats(),
  };
  const base = helperCallLowering(aie, aie.c, vcpu.slots);
  const frames = aie.shared.reserved.length;
  if (o.monitor === Monitor.VERSION) {
    const lowering = withAieVersionExclusives(base, {
      slots: vcpu.slots, granuleShift: o.granuleShift, words: aie.shared.words, entries: aie.inlineEntries, held: aie.held,
    });
    let noLeaves: Int32Array | null = null;
    return {
      ...lowering,
      ...hooks,
      bindings: { ...lowering.bindings, a_wl: aie.shared.reserved },
      // Training calls: no entry in the inline table, no leaf recorded (every store check takes the slow path).
      contendedBindings: {
        get a_ec(): Int32Array { return (noEntries ??= missingEntries()); },
        get a_wl(): Int32Array { return (noLeaves ??= new Int32Array(frames)); },
      },
      inlineFlaggedStore: aieVersionStores(aie.checks.hazardWord, o.granuleShift),
    };
  }
  const lowering = withAieInlineExclusives(base, {
    slots: vcpu.slots, me: vcpu.index, granuleShift: o.granuleShift, reservedWord: aie.shared.reservedWord,
    hazardsWord: aie.shared.hazardsWord, words: aie.shared.words, entries: aie.inlineEntries,
  });
  // Made at the first trained region's compilation and read by every later one (training only reads them):
  // the frames' array is 2 MB.
  let allReserved: Int32Array | null = null;
  return {
    ...lowering,
    ...hooks,
    bindings: { ...lowering.bindings, a_wr: aie.shared.reserved },
    // A region's training calls (exec/region-training.ts) read these: no entry in the inline table, every frame
    // reserved, the wake called (with no lock): every fallback of the inline paths and checks then runs.
    contendedBindings: {
      get a_ec(): Int32Array { return (noEntries ??= missingEntries()); },
      a_xw: 1,
      get a_wr(): Int32Array { return (allReserved ??= everyFrameReserved(frames)); },
    },
    inlineFlaggedStore: aieInlineUnlockedStore(aie.checks.hazardWord),
  };
}

/** The inline table with no chunk, made once per worker (training calls only read it). */
let noEntries: Int32Array | null = null;

export const aieStrategy: AtomicStrategy = {
  name: 'aie',
  origin: 'Emilio G. Cota, "Helper-based Atomic Instruction Emulation (AIE)", qemu-devel RFC, May 2015 (seed 002)',
  doc: 'docs/strategy-aie.md',
  options: AIE_OPTIONS,
  checkOptions: (options) => void parseAieOptions(options),
  // Plain-store checks never / from the start (after-swp, the default, runs anyway).
  // The set monitor (sessions 1-11, Cota's tiny_set) with checks on from the start.
  tortureVariants: ['aie-stores=off', 'aie-stores=always', 'aie-monitor=set:aie-stores=always'],
  guarantees: aieGuarantees,
  createShared: (options) => AieShared.create(parseAieOptions(options)),
  attach: attachAie,
};
