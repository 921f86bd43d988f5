// A few torture programs under aie through the CLI (`mttcg run`), one per
// store mode, where the modes differ (STRATEGIES.md's aie column), with small
// iteration counts, under both monitors (--aie-monitor set, version). The other cells are covered without guest code in
// aie-helpers.test.ts; the full matrix is `mttcg torture` (docs/strategies.md).

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ROOT, runMttcg } from '../harness/guest-runner.js';

const ATOMICS = join(ROOT, 'torture-tests', 'atomics');

interface Cell {
  readonly elf: string;
  readonly args: readonly string[];
  readonly mode: string;
  readonly status: 'pass' | 'fail';
  /** A --stats total that must be positive (or zero when prefixed with '!'). */
  readonly counter: string;
  /** --aie-monitor (default set). */
  readonly monitor?: string;
}

const CELLS: readonly Cell[] = [
  { elf: 'aba-plain', args: ['2', '20', 'swp'], mode: 'off', status: 'fail', counter: '!atomic.storeChecks' },
  { elf: 'aba-plain', args: ['2', '20', 'swp'], mode: 'after-swp', status: 'pass', counter: 'atomic.storeChecksWithEntry' },
  { elf: 'store-same', args: ['2', '20'], mode: 'always', status: 'pass', counter: 'atomic.storeChecksWithEntry' },
  { elf: 'aba-plain', args: ['2', '20', 'swp'], mode: 'after-swp', status: 'pass', counter: 'atomic.storeChecksWithEntry', monitor: 'version' },
  { elf: 'store-same', args: ['2', '20'], mode: 'always', status: 'pass', counter: 'atomic.storeChecksWithEntry', monitor: 'version' },
];

const dir = mkdtempSync(join(tmpdir(), 'aie-torture-'));

for (const [i, c] of CELLS.entries()) {
  const monitor = c.monitor ?? 'set';
  t.test(`${c.elf} ${c.args.join(' ')} with --aie-stores ${c.mode} --aie-monitor ${monitor}: ${c.status}`, (t) => {
    const stats = join(dir, `stats-${i}.json`);
    const r = runMttcg(join(ATOMICS, `${c.elf}.elf`), c.args,
      ['--strategy', 'aie', '--aie-stores', c.mode, '--aie-monitor', monitor, '--stats-json', stats, '--timeout', '120']);
    t.equal(r.status, 0, `exit 0 (${r.stderr.trim().slice(0, 300)})`);
    const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    t.match(line ?? '', new RegExp(`status=${c.status}\\b`), line ?? 'no RESULT line');
    t.match(line ?? '', /timeouts=0/, 'every round had B inside A\'s window');
    const totals = (JSON.parse(readFileSync(stats, 'utf8')) as { totals: Record<string, number> }).totals;
    const name = c.counter.replace(/^!/, '');
    if (c.counter.startsWith('!')) t.equal(totals[name], 0, `${name} = 0`);
    else t.ok((totals[name] ?? 0) > 0, `${name} = ${totals[name]}`);
    t.end();
  });
}

t.test('bad aie options are usage errors naming the option', (t) => {
  const elf = join(ATOMICS, 'aba-plain.elf');
  for (const [opt, value] of [['aie-granule', '8'], ['aie-stores', 'sometimes'], ['aie-arena-mb', '0'], ['aie-monitor', 'tiny']] as const) {
    const r = runMttcg(elf, ['2', '1'], ['--strategy', 'aie', `--${opt}`, value]);
    t.equal(r.status, 2, `--${opt} ${value}: exit 2`);
    t.match(r.stderr, new RegExp(`--${opt} must be`), 'the message names the option');
  }
  t.end();
});
