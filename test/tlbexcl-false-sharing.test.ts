// Issue 6, item 8: page-granular false sharing under tlbexcl, measured by
// counters (not time). bench/guest/false-sharing.elf takes a LDREX/STREX
// lock, bumps a counter beside it, releases it, then makes HOT plain stores
// to the thread's own line of hot data, which lies on the lock's page
// ("same") or on the next page ("split"). While the lock's page is marked,
// every store to it takes the slow path: in "same" that includes every hot
// store, in "split" only the counter and the release.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { CLI, ROOT } from '../harness/guest-runner.js';

const THREADS = 2;
const OPS = 1000;
const HOT = 16;
const ELF = join(ROOT, 'bench', 'guest', 'false-sharing.elf');

interface LayoutRun {
  readonly line: string;
  readonly totals: Record<string, number>;
}

function run(layout: 'same' | 'split'): LayoutRun {
  const statsFile = join(mkdtempSync(join(tmpdir(), 'mttcg-fs-')), 'stats.json');
  const r = spawnSync(process.execPath, [
    CLI, 'run', '--strategy', 'tlbexcl', '--timeout', '120', '--stats-json', statsFile,
    ELF, layout, String(THREADS), String(OPS), String(HOT),
  ], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  if (r.status !== 0) throw new Error(`false-sharing ${layout} exited ${r.status}: ${r.stdout}${r.stderr}`);
  const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH ')) ?? '';
  const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as { totals: Record<string, number> };
  return { line, totals: stats.totals };
}

t.test('lock and hot data on one page: every hot store takes the slow path; on separate pages none does', async (t) => {
  const same = run('same');
  const split = run('split');
  for (const r of [same, split]) t.match(r.line, / status=pass$/, r.line);
  const checksum = (l: string): string => /checksum=(\w+)/.exec(l)?.[1] ?? 'none';
  t.equal(checksum(same.line), checksum(split.line), 'both layouts compute the same data');

  const acquisitions = THREADS * OPS;
  const sameSlow = same.totals['atomic.markedPageStores']!;
  const splitSlow = split.totals['atomic.markedPageStores']!;
  t.ok(sameSlow >= acquisitions * HOT, `same: ${sameSlow} slow-path stores >= ${acquisitions * HOT} hot stores`);
  t.ok(sameSlow <= acquisitions * (HOT + 2), `same: ${sameSlow} <= hot + counter + release per acquisition`);
  t.ok(splitSlow >= acquisitions, `split: ${splitSlow} >= one release per acquisition`);
  t.ok(splitSlow <= acquisitions * 2, `split: ${splitSlow} <= counter + release per acquisition (no hot store)`);
  for (const r of [same, split]) {
    t.ok(r.totals['atomic.flushRequestsSent']! >= 1, 'the lock page was marked with a flush');
    t.equal(r.totals['atomic.pagesUnmarked'], 0, 'at most 18 idle stores between LDREXes: the mark stays');
  }
});
