// Interleaved rounds of a contended atomic workload (bench/lib/paired-ratio.ts):
// each round runs every peer once, in an order rotated from round to round,
// so that a slow stretch of the host hits every peer alike and a target's
// ratio can be taken within each round. Each peer's runs over the rounds
// then make its AtomicPoint (atomic-point.ts); under mttcg one more run with
// --stats, after the rounds, gives the counters. The timed runs go without
// it: its helper timing once wrapped a strategy's inline bindings
// (lib/peers.ts: tlbexcl ran 1.3x slower at 2 vCPUs with it, cmpxchg not).

import { rotatedOrder } from '../lib/paired-ratio.js';
import { RUN_LIMIT_MS, runUnderMttcg, runUnderQemu, type PeerRun } from '../lib/peers.js';
import { pointOf, type AtomicPoint } from './atomic-point.js';

export interface Peer {
  readonly name: string;
  /** mttcg's strategy options; null: qemu-arm. */
  readonly runArgs: readonly string[] | null;
}

/** One peer's run in a round: its BENCH line, or why it failed. */
export interface RoundRun {
  readonly name: string;
  readonly run: PeerRun | null;
  readonly error: string | null;
}

function runOnce(elf: string, args: readonly string[], peer: Peer, limitMs: number, stats: boolean): PeerRun {
  return peer.runArgs === null ? runUnderQemu(elf, args, limitMs) : runUnderMttcg(elf, args, peer.runArgs, limitMs, stats);
}

/**
 * `rounds` rounds, each running every peer once in rotatedOrder; a failed run
 * (a guest that failed its check, a kill at limitMs) is kept as its error.
 * onRound sees each round as it ends.
 */
export function runRounds(
  elf: string, args: readonly string[], peers: readonly Peer[], rounds: number, limitMs = RUN_LIMIT_MS,
  onRound: (round: number, runs: readonly RoundRun[]) => void = () => {},
): RoundRun[][] {
  const out: RoundRun[][] = [];
  for (let i = 0; i < rounds; i++) {
    const runs = rotatedOrder(peers, i).map((peer): RoundRun => {
      try {
        return { name: peer.name, run: runOnce(elf, args, peer, limitMs, false), error: null };
      } catch (e) {
        return { name: peer.name, run: null, error: (e as Error).message.split('\n')[0]! };
      }
    });
    out.push(runs);
    onRound(i, runs);
  }
  return out;
}

/** A peer's successful runs over the rounds, in round order. */
export function runsOf(rounds: readonly (readonly RoundRun[])[], name: string): PeerRun[] {
  return rounds.flatMap((r) => r.filter((x) => x.name === name && x.run).map((x) => x.run!));
}

/** Per round, each successful peer's figure (ops/s over its window, or `pick` of its one-run point). */
export function roundFigures(
  rounds: readonly (readonly RoundRun[])[], pick: (p: AtomicPoint) => number = (p) => p.opsPerSec[0]!,
): Map<string, number>[] {
  return rounds.map((r) => new Map(r.filter((x) => x.run).map((x) => [x.name, pick(pointOf([x.run!]))])));
}

/**
 * Each peer's point over its successful runs, with the counters of one more
 * mttcg run with --stats (none if that run fails), or the first error when
 * every run failed.
 */
export function pointsOfRounds(
  elf: string, args: readonly string[], peers: readonly Peer[], rounds: readonly (readonly RoundRun[])[], limitMs = RUN_LIMIT_MS,
): Map<string, AtomicPoint | string> {
  const out = new Map<string, AtomicPoint | string>();
  for (const peer of peers) {
    const runs = runsOf(rounds, peer.name);
    if (runs.length === 0) {
      out.set(peer.name, rounds.flat().find((x) => x.name === peer.name)?.error ?? 'no run');
      continue;
    }
    let statsRun: PeerRun | null = null;
    if (peer.runArgs !== null) {
      try {
        statsRun = runOnce(elf, args, peer, limitMs, true);
      } catch {
        statsRun = null;
      }
    }
    out.set(peer.name, pointOf(runs, statsRun));
  }
  return out;
}

/** "round 3: tlbexcl 7.55 (0.075), cmpxchg 13.08 (0.120), aie failed: ...": window M ops/s (failed attempts per op), in the round's order; an error cut to 60 characters. */
export function roundLine(round: number, runs: readonly RoundRun[]): string {
  const parts = runs.map((x) => {
    if (!x.run) return `${x.name} failed: ${(x.error ?? '').slice(0, 60)}`;
    const p = pointOf([x.run]);
    const fails = p.failsPerOp[0]!;
    return `${x.name} ${(p.opsPerSec[0]! / 1e6).toFixed(2)}` + (Number.isNaN(fails) ? '' : ` (${fails.toFixed(3)})`);
  });
  return `round ${round + 1}: ${parts.join(', ')}`;
}
