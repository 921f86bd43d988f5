// One measured point of a contended atomic workload (bench/guest/atomic-add,
// spinlock) for the speed benchmarks: ops/s from the guest's own timing over
// its contended window (bench.h: the section until the first thread finished
// its ops; after it the others run alone, uncontended; bench-window.ts), the
// evidence of its BENCH line that the threads ran at once (the smallest
// thread CPU time over the window: threads that take turns leave about half;
// such a point is not contended) and
// that they shared the progress (the chunks during which another thread
// progressed too: a lock that stays with one thread for whole chunks leaves
// few), and, under mttcg, the run's counters per op. With a core gauge
// (bench/lib/core-gauge.ts), each run's slowest core over its timed section.

import { type CoreGauges, slowdownText, UNDISTURBED } from '../lib/core-gauge.js';
import { median, spread } from '../lib/figures.js';
import type { HandOverRun } from '../lib/hand-over.js';
import type { PeerRun } from '../lib/peers.js';
import { aloneShare, parseWindow, windowOpsPerSec, windowShare } from '../runner/bench-window.js';
import type { ContendedWindow } from '../runner/bench-record.js';
import { leastBusyShare } from '../runner/run-evidence.js';

export interface AtomicPoint {
  /** The guest threads of its runs. */
  readonly threads: number;
  /** Per run, ops/s over the contended window (over the section for a guest without one). */
  readonly opsPerSec: number[];
  /** Per run, ops/s over the whole timed section (what opsPerSec was before the window). */
  readonly sectionOpsPerSec: number[];
  /** Share of chunks during which another thread progressed, per run. */
  readonly overlap: number[];
  /** Per run, the smallest thread CPU time over the contended window (else the section: onCoreShare); NaN without the clocks. */
  readonly onCore: number[];
  /** Per run, the same over the longest timed section (onCoreShare). */
  readonly sectionOnCore: number[];
  /** Per run, the contended window's length in ns (NaN: the guest printed none). */
  readonly windowNs: number[];
  /** Per run, the share of the section after the window, when some thread ran on alone (NaN without a window). */
  readonly alone: number[];
  /**
   * Per run, the failed atomic attempts (BENCH fails=, counted over the whole
   * section) per op of the window (of the section without one): a thread
   * alone after the window finds the lock free, so its failures fall in the
   * window; NaN for a guest that counts none.
   */
  readonly failsPerOp: number[];
  /** Each run's timed section on CLOCK_MONOTONIC (ns): its start and length. */
  readonly sections: { readonly start: number; readonly ns: number }[];
  /** Counters per executed op (timed and warm-up ops: the counters cover the whole run), from a run of their own (--stats). */
  readonly perOp: Record<string, number>;
}

/** A point's threads ran at once when the least busy one ran at least this share of the longest timed section. */
export const ON_CORE = 0.8;

/** The contended window of a BENCH line (its threads: the cpu= field's), or null for a guest that prints none. */
function windowOf(fields: Readonly<Record<string, string>>): ContendedWindow | null {
  return parseWindow(fields, (fields.cpu ?? '').split(':').length);
}

/** The contended window's on-core share (windowShare) of a BENCH line; NaN without a window or a clock. */
export function windowOnCoreShare(fields: Readonly<Record<string, string>>): number {
  const w = windowOf(fields);
  return w ? windowShare(w) ?? NaN : NaN;
}

/**
 * leastBusyShare (runner/run-evidence.ts) of the BENCH line's threads
 * (cpu=C0:C1:.. wall=W0:W1:..); NaN if a clock is missing.
 */
export function onCoreShare(fields: Readonly<Record<string, string>>): number {
  if (!fields.cpu || !fields.wall) return NaN;
  const cpu = fields.cpu.split(':').map(Number);
  const wall = fields.wall.split(':').map(Number);
  return leastBusyShare(cpu.map((c) => (Number.isNaN(c) ? null : c)), wall) ?? NaN;
}

function perOp(r: PeerRun): Record<string, number> {
  const s = r.stats as { totals?: Record<string, number>; process?: Record<string, number> } | null;
  if (!s) return {};
  const executed = r.line.ops + Number(r.line.fields.warmup ?? 0);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries({ ...s.totals, ...s.process })) {
    if (typeof v === 'number' && v > 0) out[k] = v / executed;
  }
  return out;
}

/** The figures of a point from its runs' BENCH lines (and, under mttcg, the counters of a run with --stats). */
export function pointOf(runs: readonly PeerRun[], perOpRun: PeerRun | null = null): AtomicPoint {
  const rate = (r: PeerRun): number => r.line.ops / (r.line.ns / 1e9);
  const windows = runs.map((r) => windowOf(r.line.fields));
  return {
    threads: Number(runs[0]?.line.fields.threads),
    opsPerSec: runs.map((r, i) => (windows[i] ? windowOpsPerSec(windows[i]!) : rate(r))),
    sectionOpsPerSec: runs.map(rate),
    overlap: runs.map((r) => Number(r.line.fields.concurrent ?? 0) / Math.max(1, Number(r.line.fields.chunks ?? 1))),
    onCore: runs.map((r, i) => (windows[i] ? windowShare(windows[i]!) ?? NaN : onCoreShare(r.line.fields))),
    sectionOnCore: runs.map((r) => onCoreShare(r.line.fields)),
    windowNs: windows.map((w) => w?.ns ?? NaN),
    alone: runs.map((r, i) => (windows[i] ? aloneShare(windows[i]!, r.line.ns) : NaN)),
    failsPerOp: runs.map((r, i) => (r.line.fields.fails === undefined ? NaN : Number(r.line.fields.fails) / (windows[i]?.ops ?? r.line.ops))),
    sections: runs.map((r) => ({ start: Number(r.line.fields.start), ns: r.line.ns })),
    perOp: perOpRun ? perOp(perOpRun) : {},
  };
}

const percent = (x: number): string => Number.isNaN(x) ? '?' : `${(100 * x).toFixed(0)}%`;

const ms = (ns: number): string => `${(ns / 1e6).toFixed(0)} ms`;

/**
 * The point's contended throughput and evidence over its window, then the
 * whole section's beside it: "window: 2 threads x 97% of 151 ms, 5.2 M
 * ops/s (...); section 4.1 M ops/s (...), least busy thread 74% of it; per
 * run window/section M ops/s and the section's share after the first
 * finish: 5.20/4.10 25%, ...; progress shared in 40% of chunks".
 */
export function describe(p: AtomicPoint): string {
  const section = `${spread(p.sectionOpsPerSec.map((x) => x / 1e6), 'M ops/s', 3)}, least busy thread ${percent(median(p.sectionOnCore))} of it`;
  const shared = `progress shared in ${percent(median(p.overlap))} of chunks`;
  if (p.windowNs.some((x) => Number.isNaN(x))) {
    return `${spread(p.opsPerSec.map((x) => x / 1e6), 'M ops/s', 3)} over the whole section (the guest prints no window), ` +
      `each thread ran ${percent(median(p.onCore))} of the longest section, ${shared}`;
  }
  const runs = p.opsPerSec.map((x, i) => `${(x / 1e6).toFixed(2)}/${(p.sectionOpsPerSec[i]! / 1e6).toFixed(2)} ${(100 * p.alone[i]!).toFixed(0)}%`);
  return `window: ${p.threads} threads x ${percent(median(p.onCore))} of ${ms(median(p.windowNs))}, ` +
    `${spread(p.opsPerSec.map((x) => x / 1e6), 'M ops/s', 3)}; section ${section}; ` +
    `per run window/section M ops/s and the section's share after the first finish: ${runs.join(', ')}; ${shared}`;
}

/**
 * Why the points are not contended ('' if they are): a point is contended
 * when in most runs every thread ran for most of its contended window (the
 * longest timed section for a guest without one; median on-core share >=
 * ON_CORE), so the threads ran at once.
 */
export function notContended(points: Readonly<Record<string, AtomicPoint>>): string {
  const waited = Object.entries(points).filter(([, p]) => !(median(p.onCore) >= ON_CORE));
  if (waited.length === 0) return '';
  const names = waited.map(([name]) => name).join(', ');
  return waited.every(([, p]) => !p.windowNs.some((x) => Number.isNaN(x)))
    ? ` (not a contended point: under ${names} a thread ran for less than ${percent(ON_CORE)} of the contended window: the threads took turns)`
    : ` (not a contended point: under ${names} a thread ran for less than ${percent(ON_CORE)} of the longest section: the threads took turns or one went on alone)`;
}

/** Each run's failed attempts per op and ns per op over its window (hand-over.ts), the runs that count failures. */
export function handOverRuns(p: AtomicPoint): HandOverRun[] {
  return p.opsPerSec.map((x, i) => ({ fails: p.failsPerOp[i]!, ns: 1e9 / x })).filter((r) => Number.isFinite(r.fails) && Number.isFinite(r.ns));
}

/** The counters that explain an op's cost, per op. */
export function counterLine(p: AtomicPoint, keys: readonly RegExp[]): string {
  const picked = Object.entries(p.perOp).filter(([k]) => keys.some((re) => re.test(k)));
  return picked.map(([k, v]) => `${k} ${v < 0.01 ? v.toExponential(1) : v.toFixed(2)}`).join(', ') || 'none';
}

/**
 * Each run's slowest core over its timed section (against each gauge's best
 * over the whole bench, so called once every point has run), and the point's
 * throughput over the runs whose cores all stayed undisturbed; empty without gauges.
 */
export function coreLine(p: AtomicPoint, gauges: CoreGauges | null, cores: readonly number[]): string {
  if (!gauges) return '';
  const slow = p.sections.map((w) => gauges.worstSlowdown(cores, w.start, w.start + w.ns));
  const calm = p.opsPerSec.filter((_, i) => slow[i]! <= UNDISTURBED);
  return `slowest core per run ${slow.map(slowdownText).join(' ')}; ${calm.length} undisturbed` +
    (calm.length ? `: ${spread(calm.map((x) => x / 1e6), 'M ops/s', 3)}` : '');
}
