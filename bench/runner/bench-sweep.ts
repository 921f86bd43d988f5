// Benchmark plans as a sweep plan (src/sweep/): its units are the plans'
// runs (workload x series x vCPUs x repeat; a point two plans both list is
// one unit); its definition, which the plan's hash covers, is every run
// with its peer and strategy arguments, the op-count policy and the time
// limit of each plan.

import { benchUnitId } from '../../src/sweep/unit-ids.js';
import type { BenchPlan } from './bench-plan.js';

export interface BenchSweepParts {
  readonly definition: unknown;
  readonly units: readonly string[];
  readonly describe: string;
}

export function benchSweepParts(plans: readonly BenchPlan[]): BenchSweepParts {
  const units = [...new Set(plans.flatMap((p) => p.points.map(benchUnitId)))];
  const definition = plans.map((p) => ({
    policy: p.policy,
    timeoutSeconds: p.timeoutSeconds,
    points: p.points.map((x) => [benchUnitId(x), x.peer, x.strategyArgs]),
  }));
  const workloads = [...new Set(plans.flatMap((p) => p.workloads.map((w) => w.name)))];
  const series = [...new Set(plans.flatMap((p) => p.series.map((s) => s.strategy)))];
  const vcpus = [...new Set(plans.flatMap((p) => p.vcpus))].sort((a, b) => a - b);
  const ops = plans.every((p) => p.policy.fixedOpsPerThread !== null) ? `${plans[0]?.policy.fixedOpsPerThread} ops per thread` : `~${plans[0]?.policy.targetMs} ms per point`;
  return {
    definition,
    units,
    describe: `bench: ${workloads.length} workload(s) (${workloads.join(', ')}) x ${series.length} series (${series.join(', ')}) at ${vcpus.join(', ')} vCPUs, ${ops}: ${units.length} runs`,
  };
}
