// The report's "Litmus tests" section (issue 16 item 4): the ARM litmus
// catalogue under each strategy, under the deterministic scheduler and under
// qemu-arm, from one or more `mttcg litmus --json` files (mttcg report
// --litmus FILE, repeatable): how often each test's condition held, whether
// a forbidden outcome showed where a strategy claims it cannot, and which
// relaxations the host let through.

import type { LitmusResult } from '../../src/litmus/litmus-run.js';
import type { LitmusResultsFile, LitmusTestInfo } from '../../src/litmus/litmus-results.js';
import { cell, heading, para, table, type Block, type TableCell } from './document-model.js';

function resultCell(r: LitmusResult | undefined, expected: LitmusTestInfo['expected']): TableCell {
  if (!r) return cell('-', 'muted');
  const text = `${r.positive}/${r.runs}`;
  switch (r.verdict) {
    case 'error': return cell('error', 'bad', r.note ?? undefined);
    case 'forbidden-seen': return cell(`${text} forbidden seen`, 'bad');
    case 'excused': return cell(`${text} (declared weakness)`, 'info', r.note ?? undefined);
    case 'ok': return expected === 'forbidden' ? cell(text, 'good') : r.positive > 0 ? cell(text, 'warn', 'an allowed relaxed outcome, seen') : cell(text);
  }
}

/** Tests in order of first appearance across the files; columns likewise. */
function merged(files: readonly LitmusResultsFile[]): { tests: LitmusTestInfo[]; columns: string[]; results: LitmusResult[] } {
  const tests: LitmusTestInfo[] = [];
  const columns: string[] = [];
  const results: LitmusResult[] = [];
  for (const f of files) {
    for (const t of f.tests) if (!tests.some((x) => x.name === t.name)) tests.push(t);
    for (const c of f.columns) if (!columns.includes(c)) columns.push(c);
    results.push(...f.results);
  }
  return { tests, columns, results };
}

function verdictParagraph(results: readonly LitmusResult[]): Block {
  const bad = results.filter((r) => r.verdict === 'forbidden-seen');
  const errors = results.filter((r) => r.verdict === 'error');
  const excused = results.filter((r) => r.verdict === 'excused');
  const lead = { strong: 'Forbidden outcomes: ' };
  const excusedText = excused.length
    ? ` ${excused.length} pair(s) showed a forbidden outcome under a strategy that declares that weakness (${[...new Set(excused.map((r) => `${r.test} under ${r.column}`))].slice(0, 8).join('; ')}).`
    : '';
  if (bad.length === 0 && errors.length === 0) {
    return para(lead, `none seen in the ${results.length - excused.length} test/column pairs where the strategy claims the test.${excusedText}`);
  }
  return para(lead, `${bad.length} pair(s) showed an outcome the ARM architecture forbids under a strategy that claims it cannot happen`,
    bad.length ? ` (${bad.slice(0, 8).map((r) => `${r.test} under ${r.column}: ${r.witnesses} of ${r.runs}`).join('; ')})` : '',
    errors.length ? `; ${errors.length} run(s) failed` : '', `.${excusedText}`);
}

function relaxationParagraph(tests: readonly LitmusTestInfo[], results: readonly LitmusResult[]): Block {
  const allowed = new Set(tests.filter((t) => t.expected === 'allowed').map((t) => t.name));
  const free = results.filter((r) => allowed.has(r.test) && !r.column.includes('/sched') && r.verdict === 'ok');
  const seen = [...new Set(free.filter((r) => r.positive > 0).map((r) => r.test))];
  const never = [...allowed].filter((t) => !seen.includes(t) && free.some((r) => r.test === t));
  return para(
    { strong: 'Allowed relaxations on this host: ' },
    seen.length ? `seen in free runs: ${seen.join(', ')}. ` : 'none seen in free runs. ',
    never.length ? `Never seen: ${never.join(', ')}. ` : '',
    'The guest\'s loads and stores are the host\'s own, and an x86-64 host (TSO) can only reorder a store with a later load: ',
    'the store-buffering shapes (SB, R) are the relaxations it can show; MP, LB, WRC and IRIW stay at zero on x86 though ARM allows them. ',
    'Under --sched one vCPU runs at a time, so no weak outcome appears there: those columns show interleavings (how often an exclusive window is hit).',
  );
}

export function litmusSection(files: readonly LitmusResultsFile[]): Block[] {
  const blocks: Block[] = [heading(2, 'Litmus tests', 'litmus')];
  if (files.length === 0) {
    blocks.push(para(
      'Not in this report. ', { code: 'mttcg litmus torture-tests/litmus --qemu --json FILE' },
      ' runs the ARM litmus catalogue (docs/litmus.md) and ', { code: 'mttcg report --litmus FILE' }, ' draws it here.',
    ));
    return blocks;
  }
  const { tests, columns, results } = merged(files);
  const loads = files.flatMap((f) => f.loads);
  blocks.push(
    para(
      `${tests.length} herd-style ARM litmus tests, each built into an A32 guest program that runs it many times in one process with a barrier per run; `,
      `each cell: runs in which the test's condition held / runs. ${files[0]!.host}; 1-minute load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}. `,
      'Reproduce with ', ...files.flatMap((f, i) => [...(i ? ['; '] : []), { code: f.command }]), '.',
    ),
    verdictParagraph(results),
    relaxationParagraph(tests, results),
    table(['test', 'ARM', ...columns], tests.map((t) => [
      cell(t.name, undefined, t.source ?? undefined), cell(t.expected ?? '?'),
      ...columns.map((c) => resultCell(results.find((r) => r.test === t.name && r.column === c), t.expected)),
    ])),
  );
  return blocks;
}
