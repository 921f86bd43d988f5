// What `mttcg report --quick` and `--full` measure. The quick profile is cut
// to fit about 5 minutes on a 2-core machine, where every mttcg process
// costs about a second of start-up before it does anything: the torture
// cases the claims and the strategy table turn on (atomicity, the monitor
// cases, ABA forced and in real code) once at 2 vCPUs with the suite's
// quick arguments (halving them let the unsafe control pass counting cases
// by luck), and three workloads that between them decide the claims (a
// contended atomic, a lock with its data beside it, plain code) at 1, 2 and
// 4 vCPUs, one run each (three for plain code at 1 vCPU, where the "5%"
// claim is judged), plus one contended point at 8 vCPUs for the
// stop-the-world claim. The full profile runs everything, with repeats.

import type { BenchOptions } from '../../bench/runner/bench-plan.js';
import type { TortureCaseName } from '../../src/emulator/atomics/guarantees.js';
import type { TortureRequest } from '../../src/torture/run-matrix.js';
import type { ReportProfile } from './report-inputs.js';

export interface ReportProfileSpec {
  readonly name: ReportProfile;
  /** One line for the report's setup table. */
  readonly describe: string;
  readonly torture: TortureRequest;
  /** Benchmark plans, run in order into the same results file. */
  readonly bench: readonly BenchOptions[];
}

/** The default strategies, plus AIE with its plain-store checks always on: the configuration Cota's "5%" is about. */
export function benchStrategies(built: readonly string[]): string[] {
  return [...built, ...(built.includes('aie') ? ['aie:aie-stores=always'] : [])];
}

const QUICK_WORKLOADS = ['atomic-add-1', 'spinlock-ldrex', 'parallel-compute'];
/** The plain-code workload the non-atomic cost is judged on. */
const COST_WORKLOAD = 'parallel-compute';
/** Left out of the quick matrix: the litmus tests, the spread counter and LDREXD (the full profile runs them). */
const QUICK_TORTURE_CASES: readonly TortureCaseName[] = [
  'spinlock-ldrex', 'atomic-add', 'swp-lock', 'swp-mixed',
  'aba-plain', 'aba-plain-after-swp', 'aba-llsc', 'store-diff', 'store-same',
  'treiber', 'treiber-aba', 'pthread-stress', 'syscall-monitor',
];
/**
 * The points past 4 vCPUs that "throughput near 0 beyond 4 threads" needs.
 * Their plans list 4 as well: those points are already in the results (kept,
 * not rerun), and the runner sizes the 8-vCPU op count from their rate
 * instead of from a guess that stop-the-world would take minutes to finish.
 */
const COLLAPSE_WORKLOADS = ['atomic-add-1'];

export function reportProfile(name: ReportProfile, built: readonly string[]): ReportProfileSpec {
  const collapseStrategies = ['stop-the-world', 'cmpxchg'].filter((s) => built.includes(s));
  if (name === 'quick') {
    return {
      name,
      describe: `quick: ${QUICK_TORTURE_CASES.length} torture cases (quick arguments) at 2 vCPUs; benchmarks ${QUICK_WORKLOADS.join(', ')} at 1, 2, 4 vCPUs, one run per point (three for ${COST_WORKLOAD} at 1 vCPU), ~150 ms timed sections; ${COLLAPSE_WORKLOADS.join(', ')} at 8 vCPUs for ${collapseStrategies.join(' and ')}`,
      torture: { profile: 'quick', threads: [2], specs: [...built], cases: QUICK_TORTURE_CASES, qemu: true, timeoutSeconds: 60 },
      bench: [
        { quick: true, workloads: QUICK_WORKLOADS, vcpus: [1, 2, 4], repeat: 1, strategies: benchStrategies(built) },
        // the "5%" claim compares single-vCPU throughput on plain code: three runs there, so the median is not one noisy sample
        { quick: true, workloads: [COST_WORKLOAD], vcpus: [1], repeat: 3, strategies: benchStrategies(built) },
        ...(collapseStrategies.length
          ? [{ quick: true, workloads: COLLAPSE_WORKLOADS, vcpus: [4, 8], repeat: 1, strategies: collapseStrategies, peers: ['mttcg'] } satisfies BenchOptions]
          : []),
      ],
    };
  }
  return {
    name,
    describe: 'full: every torture case (default arguments, with the strategy variants) at 2 and 4 vCPUs; every benchmark workload at 1, 2, 4 vCPUs, 3 runs per point, ~1 s timed sections; the atomic workloads at 8 vCPUs for every strategy and peer',
    torture: { profile: 'full', threads: [2, 4], qemu: true },
    bench: [
      { vcpus: [1, 2, 4], repeat: 3, strategies: benchStrategies(built) },
      { workloads: ['atomic-add-1', 'atomic-add-128', 'spinlock-ldrex', 'treiber-stack'], vcpus: [4, 8], repeat: 3, strategies: [...built] },
    ],
  };
}
