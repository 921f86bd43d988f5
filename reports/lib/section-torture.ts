// "Correctness": the torture matrix, one row per case, one column per
// strategy (and qemu-arm as a peer column), each cell the observation set
// against the strategy's own prediction. A may-fail cell (a race the design
// permits but does not force) ran several times and says "k of N runs
// failed": a failure there is neither a broken claim nor "as predicted".

import { TORTURE_CASE_NAMES } from '../../src/emulator/atomics/guarantees.js';
import { cell, heading, para, table, type Block, type TableCell } from './document-model.js';
import type { Cell, TortureCellResult, TortureMatrix } from './input-types.js';

/** One line per case for readers who have not read torture-tests/atomics/README.md. */
const CASE_NOTES: Readonly<Record<string, string>> = {
  'spinlock-ldrex': 'LDREX/STREX spinlock, counter under the lock',
  'atomic-add': 'LDREX/STREX atomic add on one word',
  'atomic-add-spread': 'atomic add on 16 counters in separate lines',
  'swp-lock': 'SWP spinlock',
  'swp-mixed': 'SWP and LDREX/STREX on the same lock word',
  'aba-plain': 'A→B→A by plain stores inside the LDREX..STREX window',
  'aba-plain-after-swp': 'the same, after one SWP has run',
  'aba-llsc': "A→B→A by another vCPU's LDREX/STREX pairs",
  'store-diff': 'plain store of a different value inside the window',
  'store-same': 'plain store of the same value inside the window',
  treiber: 'Treiber stack with LL/SC pop (ABA possible, not forced)',
  'treiber-aba': 'Treiber stack pop with the ABA forced',
  'strexd-counter': 'LDREXD/STREXD 64-bit counter',
  'litmus-mp-dmb': 'message passing with DMB (MP+dmbs)',
  'litmus-mp-nodmb': 'message passing without barriers',
  'litmus-sb-dmb': 'store buffering with DMB (SB+dmbs)',
  'litmus-sb-nodmb': 'store buffering without barriers',
  'pthread-stress': 'glibc mutexes and condition variables under stress',
  'syscall-monitor': 'LDREX, a syscall, then STREX (must fail)',
};

const CELL_TEXT: Readonly<Record<Cell, string>> = {
  pass: 'pass',
  fail: 'FAIL (predicted pass)',
  'expected-fail': 'fail, as predicted',
  'unexpected-pass': 'pass (predicted fail)',
  'n/a': 'n/a',
};

const CELL_TONE: Readonly<Record<Cell, TableCell['tone']>> = {
  pass: 'good',
  fail: 'bad',
  'expected-fail': 'info',
  'unexpected-pass': 'warn',
  'n/a': 'muted',
};

function cellTitle(r: TortureCellResult): string {
  const kv = Object.entries(r.observedKv).map(([k, v]) => `${k}=${v}`).join(' ');
  const runs = (r.runs ?? 1) > 1 ? `, ${r.failedRuns ?? 0} of ${r.runs} runs failed` : '';
  const exercised = r.exercisedRuns !== null && r.exercisedRuns !== undefined ? `race exercised in ${r.exercisedRuns} of ${r.runs ?? 1} run(s)${r.notExercised ? ` (not: ${r.notExercised})` : ''}` : '';
  return [
    `predicted ${r.predicted}, observed ${r.observed}${runs}`,
    exercised,
    r.reason ? `reason: ${r.reason}` : '',
    kv ? `result: ${kv}` : '',
    r.exitCode !== null && r.exitCode !== 0 ? `exit status ${r.exitCode}` : '',
    r.ms ? `${(r.ms / 1000).toFixed(1)} s` : '',
  ].filter(Boolean).join('\n');
}

/** A may-fail cell: how many of its runs failed, and a mark when a pass never exercised the race. */
export function mayFailText(r: TortureCellResult): string {
  const n = r.runs ?? 1;
  const k = r.failedRuns ?? (r.observed === 'fail' ? 1 : 0);
  const unexercised = k === 0 && r.exercisedRuns === 0 ? ', race not exercised' : '';
  return `${k} of ${n} run${n === 1 ? '' : 's'} failed (may fail${unexercised})`;
}

function matrixCell(r: TortureCellResult | undefined): TableCell {
  if (!r) return cell('-', 'muted', 'not in this matrix');
  if (r.predicted === 'may-fail' && r.observed !== 'n/a') {
    const k = r.failedRuns ?? (r.observed === 'fail' ? 1 : 0);
    return cell(mayFailText(r), k > 0 ? 'info' : 'good', cellTitle(r));
  }
  const text = r.cell === 'pass' && r.exercisedRuns === 0 ? 'pass (race not exercised)' : CELL_TEXT[r.cell];
  return cell(text, r.cell === 'pass' && r.exercisedRuns === 0 ? 'warn' : CELL_TONE[r.cell], cellTitle(r));
}

/** A RESULT line's pairs, spaced so that a narrow column can wrap them. */
function resultPairs(r: TortureCellResult): string {
  const kv = Object.entries(r.observedKv).filter(([k]) => k !== 'case').map(([k, v]) => `${k}=${v}`);
  return kv.length ? kv.join(', ') : (r.resultLine ?? '');
}

export function tortureSection(m: TortureMatrix | null): Block[] {
  const blocks: Block[] = [heading(2, 'Correctness: the torture matrix', 'torture')];
  if (!m) {
    blocks.push(para('No torture matrix in this report (none was run or found).'));
    return blocks;
  }
  const byKey = new Map(m.cells.map((c) => [`${c.case}\u0000${c.column}`, c]));
  const leftOut = TORTURE_CASE_NAMES.filter((c) => !m.cases.includes(c));
  blocks.push(
    para(
      `Each cell is what the case observed under that column's strategy, set against the strategy's own declared prediction (${m.profile} profile, iteration scale ${m.scale}). `,
      '"FAIL (predicted pass)" is a broken guarantee; "pass (predicted fail)" means the race was not produced or the design is better than its reputation. ',
      `Cells predicted "may fail" (a race the design permits but nothing forces) ran ${m.repeats ?? 1} time(s) and say how many runs failed; `,
      '"race not exercised" marks passes of counting cases whose threads never overlapped or never lost a race, which prove nothing. ',
      'Columns marked qemu-arm are real QEMU linux-user running the same programs; they never count as broken claims. n/a: a pair-based case at 1 vCPU.',
    ),
    para({ strong: `Broken claims: ${m.brokenClaims}. Unexpected passes: ${m.unexpectedPasses}.` }),
    ...(leftOut.length ? [para(`Not run in this profile: ${leftOut.join(', ')} (the full profile runs every case).`)] : []),
    table(
      ['case', 'what it checks', ...m.columns.map((c) => c.label)],
      m.cases.map((name) => [
        cell(name),
        cell(CASE_NOTES[name] ?? ''),
        ...m.columns.map((c) => matrixCell(byKey.get(`${name}\u0000${c.label}`))),
      ]),
    ),
  );
  const explained = m.cells.filter((c) => (c.cell === 'fail' || c.cell === 'unexpected-pass') && !m.columns.find((x) => x.label === c.column)?.peer);
  if (explained.length) {
    blocks.push(
      heading(3, 'Cells that contradict their prediction', 'torture-surprises'),
      table(['case', 'column', 'predicted', 'observed', 'reason', 'result'], explained.map((c) => [
        c.case, c.column, c.predicted, cell(c.observed, c.cell === 'fail' ? 'bad' : 'warn'),
        c.reason ?? '-', resultPairs(c) || '-',
      ])),
    );
  }
  return blocks;
}
