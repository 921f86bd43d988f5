// Verdicts decided by the torture matrix: "ABA is not a problem in practice"
// is judged on the cases that are real code (a Treiber stack popped with
// LL/SC, glibc's own mutexes and condition variables under stress), with the
// constructed ABA interleavings shown beside them as evidence that the
// weakness exists when forced.
//
//   refuted      when any run of a real-code case failed: the race happened
//                without being forced;
//   supported    when every run passed and at least MIN_EXERCISED_RUNS runs
//                of the Treiber stack exercised its race (threads overlapped
//                and some pop or push lost; exercise.ts);
//   inconclusive otherwise: passes that never raced prove nothing.
// Stability is the share of runs that agree with the verdict.

import type { TortureCaseName } from '../../src/emulator/atomics/guarantees.js';
import { notMeasured, type ClaimContext, type Evaluation } from './claim-context.js';
import type { TortureCellResult, TortureColumn } from './input-types.js';

/** Programs written the way real code is: the race may happen, nothing forces it. */
export const REAL_CODE_CASES: readonly TortureCaseName[] = ['treiber', 'pthread-stress'];
/** The real-code case whose runs say whether the race was exercised. */
export const RACE_CASE: TortureCaseName = 'treiber';
/** Handshake cases that force an A-B-A (or same-value store) inside the LDREX..STREX window. */
export const CONSTRUCTED_ABA_CASES: readonly TortureCaseName[] = ['aba-plain', 'aba-llsc', 'store-same', 'treiber-aba'];
/** Runs of the Treiber stack that must have exercised the race before passes count as support. */
export const MIN_EXERCISED_RUNS = 2;

/** The strategy's own free-running columns with default options and at least 2 vCPUs (a race needs two). */
function columnsOf(columns: readonly TortureColumn[], strategy: string, seeded = false): TortureColumn[] {
  return columns.filter((c) => c.strategy === strategy && !c.peer && Object.keys(c.options).length === 0 && c.threads >= 2 &&
    (c.seeded === true) === seeded);
}

/** "k of N seeds failed, first failing seed S" for a cell of seeded runs. */
export function seedsText(c: TortureCellResult): string {
  const n = c.runs ?? 1;
  const k = c.failedRuns ?? (c.observed === 'fail' ? 1 : 0);
  return `${k} of ${n} seed${n === 1 ? '' : 's'} failed${c.firstFailingSeed != null ? `, first failing seed ${c.firstFailingSeed}` : ''}`;
}

function ran(cells: readonly TortureCellResult[], column: string, names: readonly TortureCaseName[]): TortureCellResult[] {
  return cells.filter((c) => c.column === column && names.includes(c.case) && c.observed !== 'n/a');
}

/** "k of N runs failed", the words for a cell of several runs. */
export function runsText(c: TortureCellResult): string {
  const n = c.runs ?? 1;
  const k = c.failedRuns ?? (c.observed === 'fail' ? 1 : 0);
  return `${k} of ${n} run${n === 1 ? '' : 's'} failed`;
}

function exercisedText(c: TortureCellResult): string {
  if (c.exercisedRuns === null || c.exercisedRuns === undefined) return '';
  return `, ${c.exercisedRuns} of ${c.runs ?? 1} exercised the race${c.notExercised ? ` (not exercised: ${c.notExercised})` : ''}`;
}

/** cmpxchg's advocates: ABA "in practice" does not happen. */
export function checkAbaInPractice(ctx: ClaimContext, strategy: string): Evaluation {
  const m = ctx.torture;
  if (!m) return notMeasured('no torture matrix in this report');
  const cols = columnsOf(m.columns, strategy);
  if (!cols.length) {
    return notMeasured(ctx.strategiesBuilt.includes(strategy) ? `the torture matrix has no ${strategy} column at 2 or more vCPUs` : `strategy ${strategy} is not built in this checkout`);
  }
  const real = cols.flatMap((c) => ran(m.cells, c.label, REAL_CODE_CASES));
  // Seeded runs (the deterministic scheduler) of the real-code cases: a failing seed reproduces on any machine.
  const seeded = columnsOf(m.columns, strategy, true).flatMap((c) => ran(m.cells, c.label, REAL_CODE_CASES));
  const seededFailed = seeded.filter((c) => (c.failedRuns ?? (c.observed === 'fail' ? 1 : 0)) > 0);
  if (!real.length) return notMeasured(`the torture matrix did not run ${REAL_CODE_CASES.join(' or ')} under ${strategy}`);
  const constructed = cols.flatMap((c) => ran(m.cells, c.label, CONSTRUCTED_ABA_CASES));
  const forced = constructed.filter((c) => c.observed === 'fail');
  const runs = real.reduce((s, c) => s + (c.runs ?? 1), 0);
  const failedRuns = real.reduce((s, c) => s + (c.failedRuns ?? (c.observed === 'fail' ? 1 : 0)), 0);
  const race = real.filter((c) => c.case === RACE_CASE);
  const exercised = race.reduce((s, c) => s + (c.exercisedRuns ?? 0), 0);
  const measured = [
    ...real.map((c) => `${c.case} (${c.column}${c.observedKv.iters ? `, ${c.observedKv.iters} iterations` : ''}): ${runsText(c)}${exercisedText(c)}`),
    constructed.length ? `constructed ABA: ${forced.length} of ${constructed.length} cases failed (${constructed.map((c) => `${c.case} ${c.observed}`).join(', ')})` : 'constructed ABA cases not run',
    ...seeded.map((c) => `${c.case} under the deterministic scheduler (${c.column}${c.observedKv.iters ? `, ${c.observedKv.iters} iterations` : ''}): ${seedsText(c)}`),
  ].join('; ');
  const restsOn = [...real.map((c) => `${c.case} on ${c.column}: ${runsText(c)}`), ...seeded.map((c) => `${c.case} on ${c.column}: ${seedsText(c)}`)];
  const base = { measured, statistic: null, restsOn, excluded: [] as string[] };
  if (failedRuns > 0) {
    const failed = real.filter((c) => (c.failedRuns ?? (c.observed === 'fail' ? 1 : 0)) > 0);
    return {
      ...base,
      verdict: 'refuted',
      basis: 'decided',
      reason: `real-code case(s) ${failed.map((c) => `${c.case} (${runsText(c)})`).join(', ')} failed under ${strategy}: the race happened without being forced.`,
      stability: { share: failedRuns / runs, of: `${runs} torture runs (the share that failed)` },
    };
  }
  if (seededFailed.length > 0) {
    const seededRuns = seeded.reduce((s, c) => s + (c.runs ?? 1), 0);
    const seededFails = seeded.reduce((s, c) => s + (c.failedRuns ?? 0), 0);
    return {
      ...base,
      verdict: 'refuted',
      basis: 'decided',
      reason: `real-code case(s) ${seededFailed.map((c) => `${c.case} (${seedsText(c)})`).join(', ')} failed under ${strategy} with the deterministic scheduler: ` +
        `an ordinary preemption inside the LL/SC window, not a constructed one, and each failing seed reproduces it on any machine (mttcg run --sched; docs/scheduler.md)` +
        `${runs ? `; the ${runs} free run(s) all passed, which says how rarely this host's scheduling lands there` : ''}.`,
      stability: { share: seededFails / seededRuns, of: `${seededRuns} seeded torture runs (the share that failed)` },
    };
  }
  if (exercised < MIN_EXERCISED_RUNS) {
    return {
      ...base,
      verdict: 'inconclusive',
      basis: 'not exercised',
      reason: `every run passed, but only ${exercised} run(s) of ${RACE_CASE} exercised the race (threads overlapping and some pop or push losing), and ${MIN_EXERCISED_RUNS} are needed: passes that never raced prove nothing.${race[0]?.notExercised ? ` A run that did not: ${race[0].notExercised}.` : ''}`,
      stability: { share: runs ? (runs - failedRuns) / runs : 0, of: `${runs} torture runs (the share that passed)` },
    };
  }
  return {
    ...base,
    verdict: 'supported',
    basis: 'decided',
    reason: `every run of the real-code cases passed under ${strategy}, ${exercised} of them with the race exercised${forced.length ? `, while ${forced.length} constructed interleaving(s) show the weakness is there when forced` : ''}. A pass is evidence for these runs' iterations only.`,
    stability: { share: 1, of: `${runs} torture runs (the share that passed)` },
  };
}
