// litmus7-style text for one test under one column, and a summary table of
// tests by columns.

import type { LitmusResult } from './litmus-run.js';
import { propositionText, type LitmusTest } from './litmus-test.js';

/** litmus7's word for the condition's kind: exists -> Allowed, ~exists -> Forbidden, forall -> Required. */
function kindWord(test: LitmusTest): string {
  const q = test.condition.quantifier;
  return q === 'exists' ? 'Allowed' : q === '~exists' ? 'Forbidden' : 'Required';
}

function verdictLine(test: LitmusTest, r: LitmusResult): string {
  const expected = test.expected === null ? 'no ARM verdict given' : `ARM: ${test.expected}${test.source ? ` (${test.source})` : ''}`;
  switch (r.verdict) {
    case 'ok': return `Verdict ${test.name} ok: ${expected}`;
    case 'forbidden-seen': return `Verdict ${test.name} FAILED: the forbidden outcome was seen ${r.witnesses} times; ${expected}`;
    case 'excused': return `Verdict ${test.name} excused: the forbidden outcome was seen ${r.witnesses} times, ${r.note}; ${expected}`;
    case 'error': return `Verdict ${test.name} ERROR: ${r.note}`;
  }
}

export function formatLitmusResult(test: LitmusTest, r: LitmusResult): string {
  const lines = [`Test ${test.name} ${kindWord(test)} [${r.column}]`];
  if (r.verdict !== 'error') {
    const width = Math.max(...r.outcomes.map((o) => String(o.count).length), 1);
    lines.push(`Histogram (${r.outcomes.length} states)`);
    for (const o of r.outcomes) lines.push(`${String(o.count).padEnd(width)}${o.satisfies ? '*>' : ':>'}${o.state}`);
    lines.push(r.validated ? 'Ok' : 'No', 'Witnesses', `Positive: ${r.positive}, Negative: ${r.negative}`);
    const cond = `${test.condition.quantifier} (${propositionText(test.condition.prop)})`;
    lines.push(`Condition ${cond} is ${r.validated ? '' : 'NOT '}validated`);
    lines.push(`Observation ${test.name} ${r.observation} ${r.positive} ${r.negative}`);
  }
  lines.push(verdictLine(test, r), `Time ${test.name} ${(r.ms / 1000).toFixed(2)}`);
  return lines.join('\n');
}

/** A cell of the summary: positive/runs, marked ! (forbidden seen), ~ (excused) or ERR. */
export function summaryCell(r: LitmusResult): string {
  if (r.verdict === 'error') return 'ERR';
  const mark = r.verdict === 'forbidden-seen' ? '!' : r.verdict === 'excused' ? '~' : '';
  return `${r.positive}/${r.runs}${mark}`;
}

export function formatLitmusSummary(tests: readonly LitmusTest[], columns: readonly string[], results: readonly LitmusResult[]): string {
  const header = ['test', 'ARM', ...columns];
  const rows = tests.map((t) => [
    t.name, t.expected ?? '?',
    ...columns.map((c) => {
      const r = results.find((x) => x.test === t.name && x.column === c);
      return r ? summaryCell(r) : '-';
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const failed = results.filter((r) => r.verdict === 'forbidden-seen' || r.verdict === 'error');
  return [
    'Summary: runs in which the condition held / runs (! forbidden outcome seen, ~ seen but excused by the strategy\'s declared weakness, ERR the program failed)',
    line(header),
    ...rows.map(line),
    failed.length === 0 ? 'No forbidden outcome was seen (outside excused columns).' : `${failed.length} test/column pair(s) FAILED.`,
  ].join('\n');
}
