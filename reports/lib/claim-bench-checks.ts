// Verdicts decided by the benchmarks: scaling against native, the cost on
// non-atomic code, the stop-the-world collapse, and the slow paths TLB_EXCL
// causes. Every rule is a named threshold here and in docs/reports.md; a
// verdict needs measurements, never a default.

import { measuredPoint, speedup, type BenchView } from './bench-view.js';
import {
  fmtPercent, fmtRatio, medianOf, missingStrategy, notMeasured, workloadsOfClass,
  type ClaimContext, type Evaluation,
} from './claim-context.js';
import { findCounterRow } from './counter-metrics.js';

/** "Scales as native": the strategy's speedup is at least this share of native's (median over atomic workloads). */
export const SCALING_SHARE = 0.8;
/** "5% overhead": the claimed cost on non-atomic code; the repeats' spread is added as allowance. */
export const OVERHEAD_CLAIM = 0.05;
/** "Near 0": throughput at the high vCPU count is at most this share of the strategy's own 1-vCPU throughput. */
export const NEAR_ZERO_SHARE = 0.1;
/** "Beyond 4 threads". */
export const COLLAPSE_VCPUS_ABOVE = 4;
/** "All accesses follow the slow path": at least this many extra slow-path loads and stores per op over cmpxchg. */
export const SLOW_PATH_EXCESS = 0.5;

function pointsOf(view: BenchView, workload: string, key: string): number[] {
  return view.series.find((s) => s.workload === workload && s.key === key)?.points.filter((p) => p.n > 0).map((p) => p.vcpus) ?? [];
}

function measuredPeer(ctx: ClaimContext, peer: 'native' | 'qemu-arm'): string | null {
  if (ctx.view.peersMeasured.has(peer)) return null;
  const err = ctx.view.peersFailed.get(peer);
  return err ? `${peer} runs failed (${err})` : `no ${peer} results in this run`;
}

/** Cota: AIE "scales as native code". */
export function checkScalesAsNative(ctx: ClaimContext, strategy: string): Evaluation {
  if (!ctx.view.strategies.includes(strategy)) return notMeasured(missingStrategy(ctx, strategy));
  const peerMissing = measuredPeer(ctx, 'native');
  if (peerMissing) return notMeasured(peerMissing);
  const cores = ctx.host.cores;
  const rows: { w: string; n: number; s: number; nat: number }[] = [];
  for (const w of workloadsOfClass(ctx, 'atomic')) {
    const nat = new Set(pointsOf(ctx.view, w, 'native'));
    const common = pointsOf(ctx.view, w, strategy).filter((n) => nat.has(n) && n >= 2 && n <= cores);
    if (!common.length || !nat.has(1)) continue;
    const n = Math.max(...common);
    const s = speedup(ctx.view, w, strategy, n);
    const natS = speedup(ctx.view, w, 'native', n);
    if (s !== undefined && natS !== undefined) rows.push({ w, n, s, nat: natS });
  }
  if (!rows.length) {
    return notMeasured(`no atomic workload has both ${strategy} and native measured at 1 vCPU and at 2..${cores} vCPUs (this host's cores)`);
  }
  const share = medianOf(rows.map((r) => r.s / r.nat));
  return {
    verdict: share >= SCALING_SHARE ? 'supported' : 'refuted',
    measured: rows.map((r) => `${r.w} at ${r.n} vCPUs: ${strategy} ${fmtRatio(r.s)}, native ${fmtRatio(r.nat)}`).join('; '),
    reason: `speedup over 1 vCPU, ${strategy} as a share of native's: median ${fmtPercent(share)} over ${rows.length} atomic workload(s); supported at ${fmtPercent(SCALING_SHARE)} or more. Only vCPU counts up to the host's ${cores} cores are used.`,
  };
}

/**
 * Cota: the store helpers cost "5%" (Linux boot) and are negligible otherwise.
 * `specs` are tried in order: the spec with the store helpers always on
 * measures the claim itself; the default spec is the fallback.
 */
export function checkNonAtomicOverhead(ctx: ClaimContext, strategy: string, specs: readonly string[]): Evaluation {
  if (!ctx.view.strategies.some((s) => specs.includes(s))) return notMeasured(missingStrategy(ctx, strategy));
  const plain = workloadsOfClass(ctx, 'non-atomic');
  if (!plain.length) return notMeasured('no non-atomic workload with counters in this run');
  const measuredOn = (key: string): boolean => plain.some((w) => pointsOf(ctx.view, w, key).length > 0);
  const spec = specs.find(measuredOn);
  if (!spec) return notMeasured(`no ${specs.join(' or ')} results on the non-atomic workloads`);
  const baseline = ['unsafe', 'cmpxchg'].find((b) => b !== strategy && measuredOn(b));
  if (!baseline) return notMeasured('no unsafe or cmpxchg results on the non-atomic workloads to compare with');
  const rows: { w: string; n: number; overhead: number; noise: number }[] = [];
  for (const w of plain) {
    const base = new Set(pointsOf(ctx.view, w, baseline));
    const common = pointsOf(ctx.view, w, spec).filter((n) => base.has(n));
    if (!common.length) continue;
    const n = Math.min(...common);
    const a = measuredPoint(ctx.view, w, spec, n)!;
    const b = measuredPoint(ctx.view, w, baseline, n)!;
    rows.push({ w, n, overhead: 1 - a.median / b.median, noise: Math.max(a.relHalfRange, b.relHalfRange) });
  }
  if (!rows.length) return notMeasured(`no non-atomic workload has both ${spec} and ${baseline} measured at the same vCPU count`);
  const overhead = medianOf(rows.map((r) => r.overhead));
  const noise = medianOf(rows.map((r) => r.noise));
  const limit = OVERHEAD_CLAIM + noise;
  return {
    verdict: overhead <= limit ? 'supported' : 'refuted',
    measured: rows.map((r) => `${spec} on ${r.w} at ${r.n} vCPU${r.n > 1 ? 's' : ''}: ${fmtPercent(r.overhead)} slower than ${baseline}`).join('; '),
    reason: `median overhead ${fmtPercent(overhead)} over ${rows.length} non-atomic workload(s) against ${baseline}; supported up to ${fmtPercent(OVERHEAD_CLAIM)} plus the repeats' spread (${noise > 0 ? fmtPercent(noise) : 'single runs: no allowance'}).`,
  };
}

/** The seeds' stop-the-world: "throughput near 0 beyond 4 threads". */
export function checkCollapse(ctx: ClaimContext, strategy: string): Evaluation {
  if (!ctx.view.strategies.includes(strategy)) return notMeasured(missingStrategy(ctx, strategy));
  const rows: { w: string; n: number; share: number; cmp: number | undefined }[] = [];
  for (const w of workloadsOfClass(ctx, 'atomic')) {
    const pts = pointsOf(ctx.view, w, strategy);
    const above = pts.filter((n) => n > COLLAPSE_VCPUS_ABOVE);
    if (!above.length || !pts.includes(1)) continue;
    const n = Math.max(...above);
    rows.push({ w, n, share: speedup(ctx.view, w, strategy, n)!, cmp: speedup(ctx.view, w, 'cmpxchg', n) });
  }
  if (!rows.length) {
    return notMeasured(`no atomic workload has ${strategy} measured at 1 vCPU and above ${COLLAPSE_VCPUS_ABOVE} vCPUs (the full profile runs 8)`);
  }
  const worst = Math.max(...rows.map((r) => r.share));
  const over = rows.some((r) => r.n > ctx.host.cores);
  return {
    verdict: worst <= NEAR_ZERO_SHARE ? 'supported' : 'refuted',
    measured: rows.map((r) => `${r.w} at ${r.n} vCPUs: ${fmtPercent(r.share)} of its 1-vCPU throughput${r.cmp !== undefined ? ` (cmpxchg ${fmtPercent(r.cmp)})` : ''}`).join('; '),
    reason: `throughput above ${COLLAPSE_VCPUS_ABOVE} vCPUs as a share of the same strategy at 1 vCPU, highest over ${rows.length} atomic workload(s): ${fmtPercent(worst)}; "near 0" means at most ${fmtPercent(NEAR_ZERO_SHARE)}.${over ? ` These points are oversubscribed (${ctx.host.cores} cores), which costs every strategy; the cmpxchg share beside it shows how much.` : ''}`,
  };
}

/** Bennée/Rigo: with TLB_EXCL "all access now follows slow-path". */
export function checkSlowPathAll(ctx: ClaimContext, strategy: string): Evaluation {
  if (!ctx.view.strategies.includes(strategy)) return notMeasured(missingStrategy(ctx, strategy));
  const rows: { w: string; n: number; loads: number; stores: number }[] = [];
  for (const w of workloadsOfClass(ctx, 'atomic')) {
    const counts = [...new Set(ctx.counters.filter((r) => r.workload === w && r.strategy === strategy).map((r) => r.vcpus))]
      .filter((n) => findCounterRow(ctx.counters, w, 'cmpxchg', n));
    if (!counts.length) continue;
    const within = counts.filter((n) => n <= ctx.host.cores);
    const n = Math.max(...(within.length ? within : counts));
    const t = findCounterRow(ctx.counters, w, strategy, n)!.perOp;
    const c = findCounterRow(ctx.counters, w, 'cmpxchg', n)!.perOp;
    if (t.slowLoads == null || t.slowStores == null || c.slowLoads == null || c.slowStores == null) continue;
    rows.push({ w, n, loads: t.slowLoads - c.slowLoads, stores: t.slowStores - c.slowStores });
  }
  if (!rows.length) return notMeasured(`no atomic workload has slow-path counters for both ${strategy} and cmpxchg at one vCPU count`);
  const both = rows.filter((r) => r.loads >= SLOW_PATH_EXCESS && r.stores >= SLOW_PATH_EXCESS);
  const storesOnly = rows.filter((r) => r.stores >= SLOW_PATH_EXCESS && r.loads < SLOW_PATH_EXCESS);
  let why: string;
  if (both.length) why = `loads and stores both take extra slow paths on ${both.map((r) => r.w).join(', ')}`;
  else if (storesOnly.length) why = `only stores take extra slow paths (${storesOnly.map((r) => r.w).join(', ')}); loads stay on the fast path`;
  else why = 'no atomic workload shows extra slow-path accesses of either kind';
  const f = (x: number): string => x.toFixed(2);
  return {
    verdict: both.length ? 'supported' : 'refuted',
    measured: rows.map((r) => `${r.w} at ${r.n} vCPU${r.n > 1 ? 's' : ''}: +${f(r.loads)} slow loads/op, +${f(r.stores)} slow stores/op`).join('; '),
    reason: `extra slow-path accesses per op under ${strategy} over cmpxchg; "all accesses" needs at least ${SLOW_PATH_EXCESS} extra loads and stores per op on some atomic workload: ${why}.`,
  };
}
