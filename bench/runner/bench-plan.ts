// What a `mttcg bench` run will measure: workloads x peers (mttcg under each
// strategy spec, qemu-arm, native) x vCPU counts x repeats, the op-count
// policy and the time limit. planBench validates everything up front, so a
// typo is a usage error before the first point runs, not after an hour.

import { spawnSync } from 'node:child_process';
import { UsageError } from '../../src/cli/option-parser.js';
import { strategyNames } from '../../src/machine/strategy-registry.js';
import { qemuArmVersion } from '../../src/host/host-info.js';
import { parseStrategySpec } from '../../src/torture/strategy-spec.js';
import type { BenchPeer, PointKey } from './bench-record.js';
import type { OpCountPolicy } from './op-counts.js';
import { MAX_OPS_PER_THREAD } from './op-counts.js';
import { findWorkload, hasProgram, nativeBinary, WORKLOADS, workloadNames, type Workload } from './workloads.js';

export type BenchProfile = 'quick' | 'default';

export interface BenchOptions {
  /** Strategy specs NAME[:KEY=VALUE...] for the mttcg peer (default: every registered strategy). */
  readonly strategies?: readonly string[];
  readonly vcpus?: readonly number[];
  readonly workloads?: readonly string[];
  /** Default: mttcg, plus qemu-arm and native where they can run. */
  readonly peers?: readonly BenchPeer[];
  readonly repeat?: number;
  /** The short profile (see PROFILES). */
  readonly quick?: boolean;
  /** Fixed ops per thread for every point (no calibration). */
  readonly opsPerThread?: number | null;
  /** Timed-section duration each point is aimed at. */
  readonly targetMs?: number;
  /** Per-run time limit. */
  readonly timeoutSeconds?: number;
}

/** One line of the results per series: a peer, and for mttcg a strategy spec. */
export interface BenchSeries {
  readonly peer: BenchPeer;
  /** Record label: the canonical spec for mttcg, else the peer name. */
  readonly strategy: string;
  /** `mttcg run` arguments for the spec (empty for the other peers). */
  readonly strategyArgs: readonly string[];
}

export interface PlannedPoint extends PointKey {
  readonly peer: BenchPeer;
  readonly strategyArgs: readonly string[];
}

export interface BenchPlan {
  readonly profile: BenchProfile;
  readonly workloads: readonly Workload[];
  readonly vcpus: readonly number[];
  readonly repeat: number;
  readonly series: readonly BenchSeries[];
  /** In run order: repeat (a round over every point), workload, series, vCPUs ascending. */
  readonly points: readonly PlannedPoint[];
  readonly policy: OpCountPolicy;
  readonly timeoutSeconds: number;
  /** Things left out and why (e.g. qemu-arm not installed). */
  readonly notes: readonly string[];
}

interface ProfileDefaults {
  readonly workloads: readonly string[];
  readonly vcpus: readonly number[];
  readonly repeat: number;
  readonly targetMs: number;
  readonly timeoutSeconds: number;
}

/**
 * quick: the workloads marked quick (7 of 14: one hot and one spread-out
 * counter set, private counters, both spinlocks, the Treiber stack, plain
 * code), 1/2/4 vCPUs, three runs per point (a point needs two evidence
 * runs for an interval), timed sections of ~150 ms (docs/benchmarks.md).
 * default: everything, 5 runs per point, ~1 s timed sections.
 */
export const PROFILES: Readonly<Record<BenchProfile, ProfileDefaults>> = {
  quick: { workloads: WORKLOADS.filter((w) => w.quick).map((w) => w.name), vcpus: [1, 2, 4], repeat: 3, targetMs: 150, timeoutSeconds: 30 },
  default: { workloads: workloadNames(), vcpus: [1, 2, 4], repeat: 5, targetMs: 1000, timeoutSeconds: 120 },
};

export const PEERS: readonly BenchPeer[] = ['mttcg', 'qemu-arm', 'native'];

let nativeWorks: boolean | undefined;

/** Whether the committed native binaries run here (x86-64 Linux with a compatible glibc). */
export function nativeAvailable(): boolean {
  if (nativeWorks === undefined) {
    const w = findWorkload('atomic-add-1')!;
    nativeWorks = hasProgram(w, 'native') && spawnSync(nativeBinary(w), ['1', '1', '1'], { stdio: 'ignore' }).status === 0;
  }
  return nativeWorks;
}

function peerAvailable(peer: BenchPeer): string | null {
  if (peer === 'qemu-arm' && qemuArmVersion() === null) return 'qemu-arm is not installed (Debian: qemu-user)';
  if (peer === 'native' && !nativeAvailable()) return 'the native binaries in bench/guest/native/ do not run on this host (rebuild them: make -C bench/guest native)';
  return null;
}

function positiveInt(what: string, n: number, max: number): number {
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${what} must be an integer from 1 to ${max} (got '${n}')`);
  return n;
}

function positive(what: string, n: number): number {
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${what} must be a positive number (got '${n}')`);
  return n;
}

function unique<T>(what: string, xs: readonly T[]): readonly T[] {
  const seen = new Set<T>();
  for (const x of xs) {
    if (seen.has(x)) throw new UsageError(`${what} '${String(x)}' is given twice`);
    seen.add(x);
  }
  return xs;
}

export function planBench(options: BenchOptions = {}): BenchPlan {
  const profile: BenchProfile = options.quick ? 'quick' : 'default';
  const d = PROFILES[profile];
  const notes: string[] = [];

  const workloads = unique('workload', options.workloads ?? d.workloads).map((name) => {
    const w = findWorkload(name);
    if (!w) throw new UsageError(`unknown workload '${name}'; choose from: ${workloadNames().join(', ')}`);
    return w;
  });
  if (workloads.length === 0) throw new UsageError('no workloads given');

  const vcpus = [...unique('vCPU count', (options.vcpus ?? d.vcpus).map((n) => positiveInt('a vCPU count', n, 64)))].sort((a, b) => a - b);
  if (vcpus.length === 0) throw new UsageError('no vCPU counts given');
  const repeat = positiveInt('--repeat', options.repeat ?? d.repeat, 1000);

  let peers: readonly BenchPeer[];
  if (options.peers) {
    peers = unique('peer', options.peers);
    for (const p of peers) {
      if (!PEERS.includes(p)) throw new UsageError(`unknown peer '${p}'; choose from: ${PEERS.join(', ')}`);
      const why = peerAvailable(p);
      if (why) throw new UsageError(`peer ${p} was asked for, but ${why}`);
    }
  } else {
    peers = PEERS.filter((p) => {
      const why = peerAvailable(p);
      if (why) notes.push(`${p} left out: ${why}`);
      return why === null;
    });
  }

  const series: BenchSeries[] = [];
  if (peers.includes('mttcg')) {
    const specs = unique('strategy spec', options.strategies ?? strategyNames()).map((text) => {
      if (text === 'qemu-arm' || text === 'native') throw new UsageError(`'${text}' is a peer, not a strategy: use --peers`);
      return parseStrategySpec(text);
    });
    if (specs.length === 0) throw new UsageError('no strategies given');
    unique('strategy spec', specs.map((s) => s.text));
    for (const s of specs) series.push({ peer: 'mttcg', strategy: s.text, strategyArgs: s.runArgs });
  } else if (options.strategies?.length) {
    throw new UsageError('--strategies needs the mttcg peer');
  }
  for (const p of peers) if (p !== 'mttcg') series.push({ peer: p, strategy: p, strategyArgs: [] });
  if (series.length === 0) throw new UsageError('no peers to run');

  const fixed = options.opsPerThread ?? null;
  if (fixed !== null) positiveInt('--ops', fixed, MAX_OPS_PER_THREAD);
  const targetMs = positive('--target-ms', options.targetMs ?? d.targetMs);
  const timeoutSeconds = positive('--timeout', options.timeoutSeconds ?? d.timeoutSeconds);

  for (const w of workloads) for (const s of series) if (!hasProgram(w, s.peer)) notes.push(`${w.name} has no ${s.peer} program: left out`);
  // Repeats are rounds over every point, not runs in a row: this host's speed drifts over minutes (other
  // tenants slow a core for seconds; other jobs come and go), and a slow stretch then costs one run of many
  // points instead of every run of one point, which decided verdicts between two points (two quick reports of
  // one build disagreed: parallel-compute moved 0.63-1.40x between them, session 14). The first round runs in
  // the order each point calibrates from the one before (vCPUs ascending); later rounds reuse its op counts.
  const points: PlannedPoint[] = [];
  for (let r = 1; r <= repeat; r++) {
    for (const w of workloads) {
      for (const s of series) {
        if (!hasProgram(w, s.peer)) continue;
        for (const v of vcpus) {
          points.push({ workload: w.name, strategy: s.strategy, vcpus: v, repeat: r, peer: s.peer, strategyArgs: s.strategyArgs });
        }
      }
    }
  }
  return {
    profile,
    workloads,
    vcpus,
    repeat,
    series,
    points,
    // A first run under half its target is re-run with the count its rate asks for: with a quarter, mttcg's
    // parallel-compute at 1 vCPU kept a 6000-op first run (40 ms of 150, warm-up dominated: 150 k ops/s) under
    // three strategies and re-ran it under two (32000 ops: 650 k ops/s), and the quick report read a 4x rate
    // difference between strategies on code without atomics (session 13).
    policy: { targetMs, minMs: targetMs / 2, fixedOpsPerThread: fixed },
    timeoutSeconds,
    notes,
  };
}
