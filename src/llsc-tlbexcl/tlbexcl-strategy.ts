// Alvise Rigo's "Slow-path for atomic instruction translation" (Virtual Open
// Systems, 2015; the LL/SC part of seed 001): LDREX records this vCPU's
// exclusive range and marks the range's guest frame; every vCPU's TLB write
// entry for a marked frame carries TLB_EXCL, so every store to it takes the
// slow path, where a store overlapping another vCPU's range cancels that
// range. STREX always takes the slow path and succeeds only if its own range
// is still intact. No value is compared, so ABA in every form is caught.
//
// The translator's ld_excl / st_excl / clrex / swap IR ops are the
// load-link / store-conditional ops Rigo added to TCG (qemu_ldlink,
// qemu_stcond); the backend lowers them to the helpers in tlbexcl-vcpu.ts.

import { helperCallLowering } from '../emulator/atomics/helper-lowering.js';
import { guaranteesExcept } from '../emulator/atomics/guarantees.js';
import type { AtomicLowering, AtomicStrategy, AtomicVcpu, StrategyOptions } from '../emulator/atomics/strategy.js';
import type { VcpuServices } from '../emulator/atomics/vcpu-services.js';
import { createExclusiveBuffer, ExclusiveState } from './exclusive-state.js';
import { CONTENDED_EXCLUSIVES, withInlineExclusives } from './inline-exclusives.js';
import { inlineUnlockedStores } from './inline-stores.js';
import { inlineVersionStores } from './inline-version-stores.js';
import { withVersionExclusives } from './inline-version-exclusives.js';
import { LIVE_READY } from './live-word.js';
import { VersionVcpu } from './version-vcpu.js';
import { parseTlbExclOptions, TLBEXCL_OPTIONS, type Withdrawal } from './tlbexcl-options.js';
import { newTlbExclCounters, type TlbExclCounters, TlbExclVcpu } from './tlbexcl-vcpu.js';

/** What attach builds for one monitor: the vCPU's helpers, the lowering, the inline stores, the training values. */
interface MonitorParts {
  readonly x: VersionVcpu | TlbExclVcpu;
  readonly lowering: AtomicLowering;
  readonly stores: ReturnType<typeof inlineVersionStores>;
  readonly contended: Record<string, unknown>;
}

// Training calls (exec/region-training.ts): every store's check finds a range (a commit under way), and no STREX
// starts a run (a run begun on the real live words would be withdrawn from the training copy): the range monitor's
// a_stxr takes its helper; the version monitor's compare-and-set runs on the copy and fails.
function versionParts(state: ExclusiveState, vcpu: VcpuServices, c: TlbExclCounters, withdrawal: Withdrawal): MonitorParts {
  const x = new VersionVcpu(state, vcpu, c, withdrawal);
  const lowering = withVersionExclusives(helperCallLowering(x, c, vcpu.slots), x, withdrawal);
  return { x, lowering, stores: inlineVersionStores(state, x.monitorSlots, withdrawal), contended: {} };
}

function rangeParts(state: ExclusiveState, vcpu: VcpuServices, c: TlbExclCounters): MonitorParts {
  const x = new TlbExclVcpu(state, vcpu, c);
  const lowering = withInlineExclusives(helperCallLowering(x, c, vcpu.slots), x);
  return { x, lowering, stores: inlineUnlockedStores(state), contended: { ...CONTENDED_EXCLUSIVES } };
}

function attachTlbExcl(shared: SharedArrayBuffer | null, vcpu: VcpuServices, options: StrategyOptions): AtomicVcpu {
  if (!shared) throw new Error('internal: tlbexcl attached without its shared state');
  const opts = parseTlbExclOptions(options);
  const c = newTlbExclCounters();
  const version = opts.monitor === 'version';
  const state = new ExclusiveState(shared, opts.lock, opts.unmarkAfter, c, version ? 0 : LIVE_READY);
  const { x, lowering, stores, contended } = version ? versionParts(state, vcpu, c, opts.withdraw) : rangeParts(state, vcpu, c);
  return {
    ...lowering,
    bindings: { ...lowering.bindings, ...stores.bindings },
    inlineFlaggedStore: stores.lowering,
    contendedBindings: Object.defineProperties(contended, Object.getOwnPropertyDescriptors(stores.contended)),
    tlbWriteFlags: (page) => x.tlbWriteFlags(page),
    flaggedStore: (addr, bytes, doStore) => x.flaggedStore(addr, bytes, doStore),
    onSyscall: () => x.onSyscall(),
    stats: () => ({ ...c }),
  };
}

export const tlbExclStrategy: AtomicStrategy = {
  name: 'tlbexcl',
  origin: 'Alvise Rigo (Virtual Open Systems) 2015: LL/SC by an exclusive page mark, TLB_EXCL slow paths and remote TLB flushes (seed 001)',
  doc: 'docs/strategy-tlbexcl.md',
  options: TLBEXCL_OPTIONS,
  checkOptions: (options) => void parseTlbExclOptions(options),
  // One lock per guest page instead of Rigo's global one; the range
  // monitor (the default until session 13, now an option), so that the
  // torture matrix and the litmus catalogue check its claim as they check
  // the default's; and the version monitor's atomic withdrawal, which is the
  // default off x86-64 hosts, so that an x86-64 host (whose default is the
  // plain withdrawal) still checks the order every other host runs.
  tortureVariants: ['tlbexcl-lock=page', 'tlbexcl-monitor=ranges', 'tlbexcl-withdraw=atomic'],
  // Correct LL/SC: a reservation is lost to any store to its 64-byte line
  // (the range monitor: any store that overlaps it), so no torture case is
  // expected to fail (the suite checks the claim).
  guarantees: () => guaranteesExcept({}),
  createShared: (options) => createExclusiveBuffer(parseTlbExclOptions(options).lock),
  attach: attachTlbExcl,
};
