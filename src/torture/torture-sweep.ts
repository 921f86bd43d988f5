// A torture plan as a sweep plan (src/sweep/): its units are the plan's
// runs (case x column x repeat, or x seed); its definition, which the plan's hash
// covers, is every run with the exact command it will execute (strategy
// options, guest arguments at this profile and scale) and the time limit.

import { caseArgs } from './cases.js';
import { schedArgOf, unitIdOfRun, type TorturePlan } from './run-matrix.js';

export interface TortureSweepParts {
  readonly definition: unknown;
  readonly units: readonly string[];
  readonly describe: string;
}

export function tortureSweepParts(plan: TorturePlan): TortureSweepParts {
  const req = plan.request;
  const runs = plan.runs.map((r) => [
    unitIdOfRun(r),
    r.column.runArgs ?? ['qemu-arm'],
    caseArgs(r.case, req.profile, r.column.column.threads, r.column.seeded?.scale ?? req.scale),
    ...(r.seed === null ? [] : [schedArgOf(req, r.seed)]),
  ]);
  return {
    definition: { profile: req.profile, scale: req.scale, timeoutSeconds: req.timeoutSeconds, runs },
    units: plan.runs.map(unitIdOfRun),
    describe: `torture: ${req.cases.length} case(s) x ${plan.columns.length} column(s) (${plan.columns.map((c) => c.column.label).join(', ')}), ` +
      `${req.profile} arguments at scale ${req.scale}, ${req.seeds ? `seeds ${req.seeds.first}..${req.seeds.last} per cell` : `may-fail cells ${req.repeats} time(s)`}: ${plan.runs.length} runs`,
  };
}
