// Verdicts decided by the torture matrix: "ABA is not a problem in practice"
// is judged on the cases that are real code (a Treiber stack popped with
// LL/SC, glibc's own mutexes and condition variables under stress), with the
// constructed ABA interleavings shown beside them as evidence that the
// weakness exists when forced.

import type { TortureCaseName } from '../../src/emulator/atomics/guarantees.js';
import { notMeasured, type ClaimContext, type Evaluation } from './claim-context.js';
import type { TortureCellResult, TortureColumn } from './input-types.js';

/** Programs written the way real code is: the race may happen, nothing forces it. */
export const REAL_CODE_CASES: readonly TortureCaseName[] = ['treiber', 'pthread-stress'];
/** Handshake cases that force an A-B-A (or same-value store) inside the LDREX..STREX window. */
export const CONSTRUCTED_ABA_CASES: readonly TortureCaseName[] = ['aba-plain', 'aba-llsc', 'store-same', 'treiber-aba'];

/** The strategy's own columns with default options and at least 2 vCPUs (a race needs two). */
function columnsOf(columns: readonly TortureColumn[], strategy: string): TortureColumn[] {
  return columns.filter((c) => c.strategy === strategy && !c.peer && Object.keys(c.options).length === 0 && c.threads >= 2);
}

function ran(cells: readonly TortureCellResult[], column: string, names: readonly TortureCaseName[]): TortureCellResult[] {
  return cells.filter((c) => c.column === column && names.includes(c.case) && c.observed !== 'n/a');
}

function iters(c: TortureCellResult): string {
  return c.observedKv.iters ? `, ${c.observedKv.iters} iterations` : '';
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
  if (!real.length) return notMeasured(`the torture matrix did not run ${REAL_CODE_CASES.join(' or ')} under ${strategy}`);
  const constructed = cols.flatMap((c) => ran(m.cells, c.label, CONSTRUCTED_ABA_CASES));
  const failed = real.filter((c) => c.observed === 'fail');
  const forced = constructed.filter((c) => c.observed === 'fail');
  const measured = [
    ...real.map((c) => `${c.case} (${c.column}${iters(c)}): ${c.observed}`),
    constructed.length ? `constructed ABA: ${forced.length} of ${constructed.length} cases failed (${constructed.map((c) => `${c.case} ${c.observed}`).join(', ')})` : 'constructed ABA cases not run',
  ].join('; ');
  return {
    verdict: failed.length ? 'refuted' : 'supported',
    measured,
    reason: failed.length
      ? `real-code case(s) ${failed.map((c) => c.case).join(', ')} failed under ${strategy}: the race happened without being forced.`
      : `every real-code case passed under ${strategy} in this run${forced.length ? `, while ${forced.length} constructed interleaving(s) show the weakness is there when forced` : ''}. A pass is evidence for this run's iterations only.`,
  };
}
