// The benchmark runner's programmatic API (`mttcg bench` and the report
// generator use it): plan, run, read and summarise results.
//
//   const plan = planBench({ quick: true });
//   const records = await runBench(plan, { out: 'results.jsonl', resume: true });
//   const stats = summarise(records);

export { planBench, PROFILES, PEERS, nativeAvailable } from './bench-plan.js';
export type { BenchOptions, BenchPlan, BenchProfile, BenchSeries, PlannedPoint } from './bench-plan.js';
export { runBench } from './run-bench.js';
export type { BenchProgress, RunBenchOptions } from './run-bench.js';
export { BENCH_RECORD_VERSION, completedKeys, isBenchRecord, pointKey, readRecords } from './bench-record.js';
export type { BenchPeer, BenchRecord, PointKey, ReadResult } from './bench-record.js';
export { countersPerOp, executedOps, median, spread, summarise } from './bench-stats.js';
export type { PointStats, Spread, SummariseOptions } from './bench-stats.js';
export { WORKLOADS, findWorkload, workloadNames } from './workloads.js';
export type { Workload } from './workloads.js';
export { createProgressReporter, formatRate } from './progress.js';
export { summaryTable } from './summary-table.js';
