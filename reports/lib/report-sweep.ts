// A report's plan as a sweep (src/sweep/): the torture runs and the
// benchmark runs of its profile, hashed together, so that `mttcg report
// --shard K/N` runs one part of a report and `mttcg report --from` draws
// the report from all parts.

import { benchSweepParts } from '../../bench/runner/bench-sweep.js';
import { planBench } from '../../bench/runner/bench-plan.js';
import type { HostInfo } from '../../src/host/host-info.js';
import type { Shard } from '../../src/sweep/shard.js';
import { makeSweepHeader, type SweepHeader } from '../../src/sweep/sweep-plan.js';
import { planTorture } from '../../src/torture/run-matrix.js';
import { tortureSweepParts } from '../../src/torture/torture-sweep.js';
import type { ReportProfileSpec } from './report-profiles.js';

export function reportSweepHeader(profile: ReportProfileSpec, argv: readonly string[], shard: Shard, host: HostInfo): SweepHeader {
  const torture = tortureSweepParts(planTorture(profile.torture));
  const bench = benchSweepParts(profile.bench.map((options) => planBench(options)));
  return makeSweepHeader({
    command: 'report',
    profile: profile.name,
    describe: `report, ${profile.describe}`,
    argv,
    definition: { profile: profile.name, torture: torture.definition, bench: bench.definition },
    units: { torture: torture.units, bench: bench.units },
    shard,
    host,
  });
}
