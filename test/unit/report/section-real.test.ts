// The report's "Real programs" section is drawn from a bench/real results
// file: the table holds every point with its ratios, and the ABA verdict
// follows cmpxchg's outputs (consistent when every run gave qemu-arm's
// bytes, refuted when one differed or failed); without a file the section
// says how to make one.

import t from 'tap';
import type { RealPoint, RealResults } from '../../../bench/real/real-results.js';
import { realProgramsSection } from '../../../reports/lib/section-real.js';
import type { Block } from '../../../reports/lib/document-model.js';

const point = (peer: string, wall: number[], identical = true, failures: string[] = []): RealPoint =>
  ({ program: 'pigz', threads: 2, peer, wall, cpu: wall.map((w) => w / 2), identical, failures });

const results = (cmpxchg: RealPoint): RealResults => ({
  kind: 'real-programs', host: 'host: 2 cores', command: 'node dist/bench/real/real-bench.js', corpus: 'Debian armel pigz 2.6-1',
  bytes: 1000, repeat: 3, loads: [1, 2, 3],
  points: [cmpxchg, point('mttcg tlbexcl', [8, 9, 10]), point('qemu-arm', [1, 1, 1]), point('native', [0.5, 0.5, 0.5])],
  profiles: [{ program: 'pigz', threads: 2, strategy: 'cmpxchg', insns: 5e7, translatePct: 10, compilePct: 5, codePct: 40, casPerMInsn: 9, cpuSeconds: 2 }],
  kuser: { 'qemu-arm': { plain: [100], ldrex: [120], kuser: [1600] } },
});

const text = (blocks: Block[]): string => JSON.stringify(blocks);

t.test('every point is a row with its ratios to qemu-arm and native', async (t) => {
  const blocks = realProgramsSection(results(point('mttcg cmpxchg', [4, 5, 6])));
  const rows = blocks.flatMap((b) => (b.kind === 'table' ? [b.rows] : []))[0]!;
  t.equal(rows.length, 4);
  t.same(rows[0]!.map((c) => c.text), ['pigz', '2', 'mttcg cmpxchg', '5.00 (4.00-6.00)', '2.50 (2.00-3.00)', '5.0x', '10.0x', 'qemu-arm\'s bytes']);
  t.match(text(blocks), /translate/, 'the cost table');
  t.match(text(blocks), /1500/, 'kuser - plain under qemu-arm');
});

t.test('the ABA claim follows cmpxchg\'s outputs', async (t) => {
  t.match(text(realProgramsSection(results(point('mttcg cmpxchg', [4, 5, 6])))), /every one of 3 runs .*Consistent with the claim/);
  t.match(text(realProgramsSection(results(point('mttcg cmpxchg', [4, 5, 6], false)))), /refuted on real programs/);
  t.match(text(realProgramsSection(results(point('mttcg cmpxchg', [4, 5], true, ['exit 139'])))), /1 of 1 points .*refuted/);
});

t.test('without a results file the section says how to make one', async (t) => {
  t.match(text(realProgramsSection(null)), /Not in this report.*real-bench\.js --json FILE.*--real-programs FILE/);
});
