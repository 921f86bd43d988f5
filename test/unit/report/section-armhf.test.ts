// The report's "armhf: LDREX/STREX in real programs" section is drawn from a
// bench/armhf/pigz-atomics.js results file: one row per architecture and
// strategy with the per-million counters and the cost against qemu-arm; the
// contention paragraph follows the data (failures named, overlap judged from
// vCPU CPU over wall); without a file it says how to make one; a file of
// another kind is refused by name.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ARMHF_COUNTERS, readArmhfResults, type ArmhfCounter, type ArmhfResults, type ArmhfRow } from '../../../bench/armhf/armhf-results.js';
import { armhfAtomicsSection } from '../../../reports/lib/section-armhf.js';
import type { Block } from '../../../reports/lib/document-model.js';

function row(arch: 'armel' | 'armhf', strategy: string, counts: Partial<Record<ArmhfCounter, number[]>>, parallelism: number[]): ArmhfRow {
  const perM = Object.fromEntries(ARMHF_COUNTERS.map((k) => [k, counts[k] ?? [0, 0, 0]])) as Record<ArmhfCounter, number[]>;
  return { arch, strategy, insns: [5e7, 5e7, 5e7], perM, wall: [3, 4, 5], cpu: [2, 2, 2], ratio: [2, 3, 4], parallelism, threads: [3, 3, 3] };
}

const results = (armhfFails: number[], parallelism: number[]): ArmhfResults => ({
  kind: 'armhf-atomics', host: 'host: 2 cores', command: 'node dist/bench/armhf/pigz-atomics.js --json x', pigzThreads: 2, bytes: 600000,
  repeat: 3, loads: [2, 3, 4], versions: { armel: '2.6-1', armhf: '2.6-1' }, qemuWall: { armel: [1, 1, 1], armhf: [1, 1, 1] },
  rows: [
    row('armel', 'cmpxchg', { 'atomic.cas': [9, 9.5, 10] }, parallelism),
    row('armhf', 'cmpxchg', { 'atomic.ldrex': [10, 11, 12], 'atomic.strex': [10, 11, 12], 'atomic.strexFailValue': armhfFails, futexWaits: [0.1, 0.2, 0.3] }, parallelism),
  ],
});

const text = (blocks: Block[]): string => JSON.stringify(blocks);

t.test('one row per architecture and strategy, counters per million and cost with their range', async (t) => {
  const blocks = armhfAtomicsSection(results([0, 0, 0], [0.8, 0.9, 0.95]));
  const rows = blocks.flatMap((b) => (b.kind === 'table' ? [b.rows] : []))[0]!;
  t.equal(rows.length, 2);
  t.same(rows[1]!.map((c) => c.text), ['armhf', 'cmpxchg', '11.0 (10.0-12.0)', '11.0 (10.0-12.0)', '0.0 (0.0-0.0)', '0.00 (0.00-0.00)', '0.20 (0.10-0.30)', '0.90 (0.80-0.95)', '3.0 (2.0-4.0)']);
  t.same(rows[0]!.map((c) => c.text).slice(0, 5), ['armel', 'cmpxchg', '0.0 (0.0-0.0)', '0.0 (0.0-0.0)', '9.5 (9.0-10.0)']);
});

t.test('the contention paragraph follows failures and overlap', async (t) => {
  const quiet = text(armhfAtomicsSection(results([0, 0, 0], [0.8, 0.9, 0.95])));
  t.match(quiet, /no STREX and no kuser cmpxchg failed/);
  t.match(quiet, /took turns on this host, so these runs are not evidence/);
  t.match(quiet, /one LDREX per 90909 guest instructions/);
  const busy = text(armhfAtomicsSection(results([0, 0.5, 0], [1.2, 1.5, 1.7])));
  t.match(busy, /failed STREX or cmpxchg in armhf cmpxchg/);
  t.match(busy, /in 6 of 6 runs the vCPUs' summed CPU time exceeded the wall time/);
});

t.test('without a results file the section says how to make one', async (t) => {
  t.match(text(armhfAtomicsSection(null)), /Not in this report.*pigz-atomics\.js --json FILE.*--armhf-atomics FILE/);
});

t.test('the reader refuses a file of another kind', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-armhf-results-'));
  try {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(results([0, 0, 0], [1, 1, 1])));
    t.equal(readArmhfResults(good).rows.length, 2);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ kind: 'real-programs', points: [] }));
    t.throws(() => readArmhfResults(bad), /not a results file of bench\/armhf\/pigz-atomics\.js/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
