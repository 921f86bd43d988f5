// What `mttcg report --quick` and `--full` measure. Every point runs
// several times (3 quick, 5 full) so that its median has an interval, and
// every may-fail torture cell as many times ("k of N runs failed").
//
// quick: the torture cases the claims and the strategy table turn on
// (atomicity, the monitor cases, ABA forced and in real code) at 2 vCPUs
// with the suite's quick arguments; five workloads that between them decide
// the claims and cover the kinds of atomic code: a hot contended counter
// (atomic-add-1), an uncontended one (atomic-add-private: each thread its
// own counter), a lock taken with LDREX/STREX and one taken with SWP (which
// turns AIE's store checks on), and plain code (parallel-compute), at 1 and
// 2 vCPUs (and 4 when the host has the cores for it); AIE with its store
// checks always on for the "5%" claim on plain code; and atomic-add-1 at 8
// vCPUs for stop-the-world and cmpxchg (the "collapse" claim).
// full: every case at 2 and 4 vCPUs with the variants; every workload at 1,
// 2, 4 vCPUs with ~1 s timed sections; the contended ones at 8.

import type { BenchOptions } from '../../bench/runner/bench-plan.js';
import type { TortureCaseName } from '../../src/emulator/atomics/guarantees.js';
import type { SeededColumns, TortureRequest } from '../../src/torture/run-matrix.js';
import type { ReportProfile } from './report-inputs.js';

export interface ReportProfileSpec {
  readonly name: ReportProfile;
  /** One line for the report's setup table. */
  readonly describe: string;
  readonly torture: TortureRequest;
  /** Benchmark plans, run in order into the same results file. */
  readonly bench: readonly BenchOptions[];
}

/** Seeds per seeded torture cell (mttcg torture --seeds; docs/scheduler.md). */
export const SEEDS: Readonly<Record<ReportProfile, number>> = { quick: 5, full: 50 };
/** The ABA cases run under the deterministic scheduler, beside their free runs. */
const SEEDED_CASES: readonly TortureCaseName[] = ['treiber', 'treiber-aba', 'aba-llsc'];
/** Seeded runs are single-stepped: treiber at 1024 iterations, the handshakes at 20 rounds. */
const SEEDED_SCALE = 0.05;

/** The seeded columns: the two value-comparing strategies, and the two with real LL/SC (aie with its store checks on). */
function seededColumns(name: ReportProfile, built: readonly string[]): SeededColumns | null {
  const specs = ['cmpxchg', 'stop-the-world', 'tlbexcl'].filter((s) => built.includes(s));
  if (built.includes('aie')) specs.push(AIE_STORES_ALWAYS);
  return specs.length ? { specs, cases: SEEDED_CASES, seeds: { first: 1, last: SEEDS[name] }, scale: SEEDED_SCALE } : null;
}

/** Runs per benchmark point and per may-fail torture cell. */
export const REPEATS: Readonly<Record<ReportProfile, number>> = { quick: 3, full: 5 };

/** AIE with its plain-store checks always on: the configuration Cota's "5%" is about. */
export const AIE_STORES_ALWAYS = 'aie:aie-stores=always';

/** The default strategies, plus AIE with its plain-store checks always on. */
export function benchStrategies(built: readonly string[]): string[] {
  return [...built, ...(built.includes('aie') ? [AIE_STORES_ALWAYS] : [])];
}

export const QUICK_WORKLOADS = ['atomic-add-1', 'atomic-add-private', 'spinlock-ldrex', 'spinlock-swp', 'parallel-compute'];
/** The plain-code workload the non-atomic cost is judged on. */
export const COST_WORKLOAD = 'parallel-compute';
/** Left out of the quick matrix: the litmus tests, the spread counter and LDREXD (the full profile runs them). */
const QUICK_TORTURE_CASES: readonly TortureCaseName[] = [
  'spinlock-ldrex', 'atomic-add', 'swp-lock', 'swp-mixed',
  'aba-plain', 'aba-plain-after-swp', 'aba-llsc', 'store-diff', 'store-same',
  'treiber', 'treiber-aba', 'pthread-stress', 'syscall-monitor',
];
/** The points past 4 vCPUs that "throughput near 0 beyond 4 threads" needs. */
const COLLAPSE_WORKLOADS = ['atomic-add-1'];
const COLLAPSE_VCPUS = 8;
const FULL_CONTENDED = ['atomic-add-1', 'atomic-add-128', 'spinlock-ldrex', 'spinlock-swp', 'treiber-stack'];

/** quick: 1 and 2 vCPUs, and 4 where the host has 4 cores (past the cores a point measures time-sharing). */
export function quickVcpus(cores: number): number[] {
  return [1, 2, 4].filter((n) => n <= Math.max(2, cores));
}

export function reportProfile(name: ReportProfile, built: readonly string[], cores: number): ReportProfileSpec {
  const collapseStrategies = ['stop-the-world', 'cmpxchg'].filter((s) => built.includes(s));
  const repeat = REPEATS[name];
  if (name === 'quick') {
    const vcpus = quickVcpus(cores);
    const top = vcpus.at(-1)!;
    const collapse = collapseStrategies.length
      ? ` ${COLLAPSE_WORKLOADS.join(', ')} at ${COLLAPSE_VCPUS} vCPUs for ${collapseStrategies.join(' and ')};`
      : '';
    return {
      name,
      describe: `quick: ${QUICK_TORTURE_CASES.length} torture cases (quick arguments) at 2 vCPUs, may-fail cells ${repeat} times, ${SEEDED_CASES.join(', ')} under seeds 1..${SEEDS.quick} (--sched); benchmarks ${QUICK_WORKLOADS.join(', ')} at ${vcpus.join(', ')} vCPUs, ${repeat} runs per point, ~150 ms timed sections;${collapse} ${AIE_STORES_ALWAYS} on ${COST_WORKLOAD}`,
      torture: {
        profile: 'quick', threads: [2], specs: [...built], cases: QUICK_TORTURE_CASES, qemu: true, timeoutSeconds: 60, repeats: repeat,
        seededColumns: seededColumns(name, built),
      },
      bench: [
        { quick: true, workloads: QUICK_WORKLOADS, vcpus, repeat, strategies: [...built] },
        ...(built.includes('aie') ? [{ quick: true, workloads: [COST_WORKLOAD], vcpus, repeat, strategies: [AIE_STORES_ALWAYS], peers: ['mttcg'] } satisfies BenchOptions] : []),
        // the plan lists the highest point below as well: it is already in the results (kept, not rerun), and
        // the runner sizes the 8-vCPU op count from its rate instead of from a guess stop-the-world would take minutes over
        ...(collapseStrategies.length
          ? [{ quick: true, workloads: COLLAPSE_WORKLOADS, vcpus: [top, COLLAPSE_VCPUS], repeat, strategies: collapseStrategies, peers: ['mttcg'] } satisfies BenchOptions]
          : []),
      ],
    };
  }
  return {
    name,
    describe: `full: every torture case (default arguments, with the strategy variants) at 2 and 4 vCPUs, may-fail cells ${repeat} times, ${SEEDED_CASES.join(', ')} under seeds 1..${SEEDS.full} (--sched); every benchmark workload at 1, 2, 4 vCPUs, ${repeat} runs per point, ~1 s timed sections; ${FULL_CONTENDED.join(', ')} at ${COLLAPSE_VCPUS} vCPUs for every strategy and peer`,
    torture: { profile: 'full', threads: [2, 4], qemu: true, repeats: repeat, seededColumns: seededColumns(name, built) },
    bench: [
      { vcpus: [1, 2, 4], repeat, strategies: benchStrategies(built) },
      { workloads: FULL_CONTENDED, vcpus: [4, COLLAPSE_VCPUS], repeat, strategies: [...built] },
    ],
  };
}
