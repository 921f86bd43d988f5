// The report's "Litmus tests" section is drawn from mttcg litmus --json
// files: one row per test, one column per strategy column of any file; a
// forbidden outcome under a claiming column is named in the verdict
// paragraph (and only then), an excused one is listed as a declared
// weakness; without a file the section says how to make one.

import t from 'tap';
import type { LitmusResult } from '../../../src/litmus/litmus-run.js';
import type { LitmusResultsFile } from '../../../src/litmus/litmus-results.js';
import { litmusSection } from '../../../reports/lib/section-litmus.js';
import type { Block } from '../../../reports/lib/document-model.js';

const result = (test: string, column: string, positive: number, verdict: LitmusResult['verdict']): LitmusResult => ({
  test, column, runs: 100, outcomes: [], positive, negative: 100 - positive, observation: positive ? 'Sometimes' : 'Never',
  validated: positive > 0, witnesses: positive, expected: test === 'SB' ? 'allowed' : 'forbidden', verdict, note: null, ms: 1,
});

const file = (results: LitmusResult[], columns: string[]): LitmusResultsFile => ({
  kind: 'litmus-results', command: 'mttcg litmus torture-tests/litmus --json f.json', host: 'a host', loads: [2, 3], runs: 100, columns,
  tests: [{ name: 'SB', expected: 'allowed', source: 's', claim: null }, { name: 'EX+aba', expected: 'forbidden', source: 's', claim: 'aba-plain' }],
  results,
});

const text = (blocks: Block[]): string => JSON.stringify(blocks);

t.test('a clean catalogue: no forbidden outcome, the host\'s relaxations named, every column in the table', async (t) => {
  const free = file([result('SB', 'cmpxchg', 7, 'ok'), result('EX+aba', 'cmpxchg', 0, 'ok')], ['cmpxchg']);
  const sched = file([result('SB', 'cmpxchg/sched seed:1', 0, 'ok'), result('EX+aba', 'cmpxchg/sched seed:1', 4, 'excused')], ['cmpxchg/sched seed:1']);
  const blocks = litmusSection([free, sched]);
  const tableBlock = blocks.find((b) => b.kind === 'table');
  t.ok(tableBlock && tableBlock.kind === 'table');
  if (tableBlock?.kind !== 'table') return;
  t.same(tableBlock.head, ['test', 'ARM', 'cmpxchg', 'cmpxchg/sched seed:1']);
  t.same(tableBlock.rows.map((r) => r.map((c) => c.text)), [['SB', 'allowed', '7/100', '0/100'], ['EX+aba', 'forbidden', '0/100', '4/100 (declared weakness)']]);
  t.match(text(blocks), /none seen in the 3 test\/column pairs/);
  t.match(text(blocks), /declares that weakness \(EX\+aba under cmpxchg\/sched seed:1\)/);
  t.match(text(blocks), /seen in free runs: SB/);
});

t.test('a forbidden outcome under a claiming column is named', async (t) => {
  const blocks = litmusSection([file([result('EX+aba', 'tlbexcl', 2, 'forbidden-seen')], ['tlbexcl'])]);
  t.match(text(blocks), /1 pair\(s\) showed an outcome the ARM architecture forbids .*EX\+aba under tlbexcl: 2 of 100/);
  t.notMatch(text(blocks), /none seen in the \d+ test/);
});

t.test('without a file the section says how to make one', async (t) => {
  t.match(text(litmusSection([])), /Not in this report.*mttcg report --litmus FILE/);
});
