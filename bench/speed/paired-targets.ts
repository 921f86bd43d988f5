// The lines a spinlock bench ends with: each peer's throughput relative to
// the base (cmpxchg) per round and as a ratio of medians, each strategy's
// cost against its hand-over pattern (bench/lib/hand-over.ts), and the
// targets' verdicts over the paired rounds (bench/lib/median-interval.ts) with
// the matched hand-over beside them: how much of a gap is the strategy and
// how much the lock's pattern in those runs.

import { median, spread } from '../lib/figures.js';
import { handOverRunsText, lineText, matchedHandOver, matchedInterval, theilSen, type MatchedHandOver } from '../lib/hand-over.js';
import { medianInterval, pairedVerdictText } from '../lib/median-interval.js';
import { perRoundRatios } from '../lib/paired-ratio.js';
import { handOverRuns, notContended, type AtomicPoint } from './atomic-point.js';

export interface PairedData {
  /** Each peer's point over its runs in the rounds. */
  readonly points: ReadonlyMap<string, AtomicPoint>;
  /** Per round, each peer's ops/s over its window. */
  readonly windows: ReadonlyArray<ReadonlyMap<string, number>>;
  /** Per round, each peer's ops/s over its whole section. */
  readonly sections: ReadonlyArray<ReadonlyMap<string, number>>;
  /** The peer the ratios are taken to. */
  readonly base: string;
}

const x3 = (r: number): string => `${r.toFixed(3)}x`;

/** Per round, `name`'s figure over the base's in that round; a round missing either (a failed run) gives none. */
export function roundRatios(rounds: ReadonlyArray<ReadonlyMap<string, number>>, name: string, base: string): number[] {
  return perRoundRatios(rounds.map((r) => r.get(name) ?? NaN), rounds.map((r) => r.get(base) ?? NaN));
}

/** The matched hand-over of `name` against the base, or null (no failures counted, no common range). */
export function matchedOf(d: PairedData, name: string): MatchedHandOver | null {
  const p = d.points.get(name);
  const b = d.points.get(d.base);
  return p && b ? matchedHandOver(handOverRuns(p), handOverRuns(b)) : null;
}

/** " [bootstrap 95%: 0.48..0.66]" of the matched ratio of `name` against the base ('' without one). */
export function matchedIntervalText(d: PairedData, name: string): string {
  const p = d.points.get(name);
  const b = d.points.get(d.base);
  const iv = p && b ? matchedInterval(handOverRuns(p), handOverRuns(b), `${name}/${d.base} matched hand-over`) : null;
  return iv ? ` [bootstrap 95%: ${iv.lo.toFixed(3)}..${iv.hi.toFixed(3)}]` : '';
}

/** Per peer: "per round 0.561x (min, max, n) [96.1%: a..b]; ratio of the medians 0.541x (sections 0.607x)". */
export function relativeLines(d: PairedData): string[] {
  const base = d.points.get(d.base);
  if (!base) return [];
  const out = [`throughput relative to ${d.base}: the median of the per-round ratios over the windows (spread, interval of the median), then the ratio of the medians over the windows (over the sections):`];
  for (const [name, p] of d.points) {
    if (name === d.base) continue;
    const ratios = roundRatios(d.windows, name, d.base);
    const iv = medianInterval(ratios);
    const ivText = iv ? ` [${(100 * iv.coverage).toFixed(1)}%: ${iv.lo.toFixed(3)}..${iv.hi.toFixed(3)}]` : '';
    out.push(`  ${name.padEnd(28)} per round ${spread(ratios, 'x', 3)}${ivText}; ` +
      `ratio of the medians ${x3(median(p.opsPerSec) / median(base.opsPerSec))} (${x3(median(p.sectionOpsPerSec) / median(base.sectionOpsPerSec))})`);
  }
  return out;
}

/**
 * Per peer, each run's failed try-locks and ns per acquisition over its
 * window and the Theil-Sen line through them; then, per strategy, both
 * lines read at a common failure rate.
 */
export function handOverLines(d: PairedData): string[] {
  const out = ['hand-over: per run, failed try-locks per acquisition:ns per acquisition over the window (by failures), and the Theil-Sen line through them:'];
  for (const [name, p] of d.points) {
    const runs = handOverRuns(p);
    if (runs.length === 0) continue;
    out.push(`  ${name.padEnd(28)} ${handOverRunsText(runs)}; ${lineText(theilSen(runs))}`);
  }
  out.push(`at a matched hand-over: both lines read at the median failure rate of the two peers' runs inside their common range; ` +
    `the ratio of the rounds over the matched ratio is what the hand-over patterns of these runs added:`);
  for (const name of d.points.keys()) {
    if (name === d.base) continue;
    const m = matchedOf(d, name);
    if (!m) {
      out.push(`  ${name.padEnd(28)} no matched figure: no line through one of the two, or no failure rate both ran at`);
      continue;
    }
    const rounds = median(roundRatios(d.windows, name, d.base));
    out.push(`  ${name.padEnd(28)} at ${m.at.toFixed(3)} (common ${m.common[0].toFixed(3)}..${m.common[1].toFixed(3)}, runs inside ${m.inside[0]} and ${m.inside[1]}): ` +
      `${m.ns.toFixed(0)} against ${d.base}'s ${m.baseNs.toFixed(0)} ns per acquisition: ${x3(m.ratio)}${matchedIntervalText(d, name)}; rounds ${x3(rounds)}, patterns x${(rounds / m.ratio).toFixed(2)}`);
  }
  return out;
}

/**
 * "target NAME within 2x of cmpxchg (>= 0.5x): met (paired rounds: ...;
 * ratio of the medians ...; at a matched hand-over ...)" and why the point is
 * not contended, if it is not.
 */
export function targetLine(d: PairedData, name: string, threshold: number): string | null {
  const p = d.points.get(name);
  const base = d.points.get(d.base);
  if (!p || !base) return null;
  const head = `target ${name} within ${(1 / threshold).toFixed(0)}x of ${d.base} (>= ${threshold}x): `;
  const ratios = roundRatios(d.windows, name, d.base);
  if (ratios.length === 0) return `${head}undecided (no round has runs of both)`;
  const verdict = pairedVerdictText(ratios, threshold).replace(/\)$/, '');
  const sections = median(roundRatios(d.sections, name, d.base));
  const m = matchedOf(d, name);
  const matched = m ? `; at a matched hand-over (${m.at.toFixed(3)} failed try-locks per acquisition) ${x3(m.ratio)}${matchedIntervalText(d, name)}` : '';
  return `${head}${verdict}; ` +
    `over the sections per round ${x3(sections)}; ratio of the medians ${x3(median(p.opsPerSec) / median(base.opsPerSec))} over the windows${matched})` +
    notContended({ [name]: p, [d.base]: base });
}
