// The report's Evidence table shows, per point, the median share of each
// run's section after the first thread finished (the contended window's
// end, bench/guest/bench.h): a thread alone, uncontended. Records of older
// guests have no window and show '-'; 1-vCPU points 'n/a'.

import t from 'tap';
import { buildBenchView } from '../../../reports/lib/bench-view.js';
import { evidenceSection } from '../../../reports/lib/section-evidence.js';
import type { Block, TableCell } from '../../../reports/lib/document-model.js';
import { fixtureRecord } from '../../helpers/report-fixture.js';

const COLUMN = 'a thread alone (share of the section after the first finish, median)';

function aloneCells(blocks: readonly Block[]): Map<string, string> {
  const tbl = blocks.find((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table' && b.head.includes(COLUMN));
  if (!tbl) throw new Error('no Evidence table with the column');
  const col = tbl.head.indexOf(COLUMN);
  const text = (c: TableCell): string => c.text;
  return new Map(tbl.rows.map((r) => [`${text(r[1]!)}@${text(r[2]!)}`, text(r[col]!)]));
}

t.test('the Evidence table gives each point\'s time alone after the first finish', async (t) => {
  const records = [1, 2, 3].flatMap((repeat) => {
    const one = fixtureRecord('spinlock-ldrex', 'cmpxchg', 1, repeat, 1e6);
    const two = fixtureRecord('spinlock-ldrex', 'cmpxchg', 2, repeat, 1e6);
    const old = fixtureRecord('spinlock-ldrex', 'tlbexcl', 2, repeat, 5e5);
    // The first finish at 60%, 70%, 80% of the section: 40%, 30%, 20% alone.
    const share = [0.6, 0.7, 0.8][repeat - 1]!;
    const window = {
      ns: two.ns * share, ops: 150_000, threadOps: [100_000, 50_000],
      threadCpuNs: [two.ns * share * 0.95, two.ns * share * 0.95], threadWallNs: [two.ns * share, two.ns * share],
    };
    return [one, { ...two, evidence: { ...two.evidence!, window } }, old];
  });
  const cells = aloneCells(evidenceSection(buildBenchView(records)));
  t.equal(cells.get('cmpxchg@2'), '30%', 'the median of 40%, 30%, 20%');
  t.equal(cells.get('tlbexcl@2'), '-', 'records without a window');
  t.equal(cells.get('cmpxchg@1'), 'n/a', 'one vCPU has no one to finish first');
});
